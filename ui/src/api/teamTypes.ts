/** The shapes of the team pages' data: the generated types of their documents (teamDocuments.ts). */
import type { ApiKeyFieldsFragment, AuditEventsQuery, InvitationsQuery, MembersQuery, SecretsQuery } from "../gql/graphql";

export type Member = MembersQuery["members"][number];
export type Invitation = InvitationsQuery["invitations"][number];
export type ApiKey = ApiKeyFieldsFragment;
export type Secret = SecretsQuery["secrets"][number];
export type AuditEvent = AuditEventsQuery["auditEvents"]["nodes"][number];
