/** The shapes of automations, deliveries, SLAs and limits: the generated types of
 * alertingDocuments.ts. */
import type {
  AutomationFieldsFragment,
  ConcurrencyLimitFieldsFragment,
  FlowSlaQuery,
  NotificationFieldsFragment,
  SlaBreachesQuery,
} from "../gql/graphql";

export type Automation = AutomationFieldsFragment;
export type AutomationTrigger = Automation["trigger"];
export type AutomationAction = Automation["actions"][number];
export type Notification = NotificationFieldsFragment;
export type NotificationAttempt = Notification["attempts"][number];
export type FlowSla = FlowSlaQuery["flowSla"];
export type SlaBreach = SlaBreachesQuery["slaBreaches"]["nodes"][number];
export type ConcurrencyLimit = ConcurrencyLimitFieldsFragment;
export type SlotHolder = ConcurrencyLimit["holders"][number];
