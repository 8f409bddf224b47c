/** Automations: what fires, what it does, on/off, and a "send test" that shows the result. */
import { useState } from "react";
import { AUTOMATIONS, DELETE_AUTOMATION, SEND_TEST_NOTIFICATION, SET_AUTOMATION_ENABLED } from "../api/alertingDocuments";
import type { Automation, Notification } from "../api/alertingTypes";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { Attempts, DeliveryStatus } from "../components/Delivery";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { IconBell, IconPlus, IconSend, IconTrash } from "../components/icons";
import { errorText } from "../components/OneTime";
import { Card, PageHead } from "../components/Page";
import { ACTION_LABELS, describeTrigger, type ActionType } from "../lib/automationForm";
import { Link } from "../lib/router";
import { automationUrl, ROUTES } from "../routes";

export default function Automations() {
  const can = useCan();
  const query = useQuery(AUTOMATIONS);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<{ automation: Automation; sent: Notification[] } | null>(null);
  const [deleting, setDeleting] = useState<Automation | null>(null);

  const setEnabled = async (automation: Automation, enabled: boolean) => {
    try {
      await request(SET_AUTOMATION_ENABLED, { id: automation.id, enabled });
      toast(`${automation.name} ${enabled ? "enabled" : "disabled"}`);
    } catch (error) {
      toast(errorText(error), true);
    }
    await query.refetch();
  };
  const sendTest = async (automation: Automation) => {
    setTesting(automation.id);
    try {
      const { sendTestNotification } = await request(SEND_TEST_NOTIFICATION, { automationId: automation.id });
      setResult({ automation, sent: sendTestNotification });
    } catch (error) {
      toast(errorText(error), true);
    } finally {
      setTesting(null);
    }
  };
  const remove = async (automation: Automation) => {
    try {
      await request(DELETE_AUTOMATION, { id: automation.id });
      toast(`${automation.name} deleted`);
    } catch (error) {
      toast(errorText(error), true);
    }
    setDeleting(null);
    await query.refetch();
  };

  return (
    <>
      <PageHead title="Automations" subtitle="A trigger and the actions it sets off: alerts to webhooks, Slack and email, or actions on runs."
        actions={<>
          <Link to={ROUTES.notifications} className="btn">Delivery log</Link>
          {can.editAlerts && <Link to={ROUTES.newAutomation} className="btn btn-primary" data-testid="new-automation"><IconPlus size={15} /> New automation</Link>}
        </>} />
      {result && <TestResult automation={result.automation} sent={result.sent} onClose={() => setResult(null)} />}
      <Loaded query={query}>
        {({ automations }) => (
          <Card flush>
            {automations.length === 0 ? (
              <EmptyState icon={<IconBell />} title="No automations yet">
                {can.editAlerts
                  ? "Create one to hear about failed runs, breached SLAs or silent agents: “New automation” above."
                  : "Owners and admins create automations; they appear here."}
              </EmptyState>
            ) : (
              <table className="table" data-testid="automations-table">
                <thead><tr><th>Enabled</th><th>Automation</th><th>Trigger</th><th>Actions</th><th /></tr></thead>
                <tbody>
                  {automations.map((a) => (
                    <tr key={a.id} data-testid={`automation-${a.name}`}>
                      <td>
                        <button type="button" role="switch" className="toggle" aria-checked={a.enabled} aria-label={`${a.name} enabled`}
                          disabled={!can.editAlerts} onClick={() => void setEnabled(a, !a.enabled)} data-testid="automation-toggle" />
                      </td>
                      <td>
                        <Link to={automationUrl(a.id)} style={{ fontWeight: 600 }}>{a.name}</Link>
                        {a.description && <div className="small faint">{a.description}</div>}
                      </td>
                      <td className="small">{describeTrigger(a)}</td>
                      <td><div className="row">{a.actions.map((x, i) => <span key={i} className="tag">{ACTION_LABELS[x.type as ActionType] ?? x.type}</span>)}</div></td>
                      <td className="num nowrap">
                        <Link to={`${ROUTES.notifications}?automation=${a.id}`} className="btn btn-sm btn-ghost">Deliveries</Link>
                        {can.editAlerts && (
                          <>
                            <button type="button" className="btn btn-sm" disabled={testing === a.id} onClick={() => void sendTest(a)} data-testid="send-test">
                              <IconSend size={14} /> {testing === a.id ? "Sending…" : "Send test"}
                            </button>{" "}
                            <button type="button" className="btn btn-sm btn-ghost btn-danger" aria-label={`Delete ${a.name}`} onClick={() => setDeleting(a)}><IconTrash size={15} /></button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
      {deleting && (
        <Confirm title={`Delete ${deleting.name}?`} confirmLabel="Delete" danger onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}>
          It stops firing at once and its pending retries are dropped. Its delivery log stays.
        </Confirm>
      )}
    </>
  );
}

function TestResult({ automation, sent, onClose }: { automation: Automation; sent: Notification[]; onClose: () => void }) {
  return (
    <Card title={`Test of ${automation.name}`} testId="test-result" className="test-result"
      actions={<button type="button" className="btn btn-sm" onClick={onClose}>Close</button>}>
      {sent.length === 0 ? (
        <p className="muted">Nothing was sent: this automation has no message action (webhook, Slack, email).</p>
      ) : (
        <div className="stack">
          {sent.map((n) => (
            <div key={n.id}>
              <div className="row" style={{ marginBottom: 6 }}>
                <strong>{ACTION_LABELS[n.actionType as ActionType] ?? n.actionType}</strong>
                <DeliveryStatus status={n.status} />
                {n.lastError && <span className="danger-text small">{n.lastError}</span>}
              </div>
              <Attempts notification={n} />
            </div>
          ))}
          <p className="small muted">A made-up failed run was delivered through each message action once; run actions are logged as skipped.
            It is in the <Link to={`${ROUTES.notifications}?automation=${automation.id}`}>delivery log</Link> too.</p>
        </div>
      )}
    </Card>
  );
}
