"""Alerting: automations (a trigger and its actions), their delivery, and SLAs.

    specs          what triggers and actions look like, validated
    templates      safe message templates with the event's fields
    automations    create, change, list and delete automations
    context        the facts a notification carries about its event
    matching       events -> automations -> notification rows (idempotent)
    delivery/      one function per action type (webhook, slack, email, run actions)
    notifications  claims, retries with backoff, the delivery log, "send a test"
    slas           per-flow service levels, breach detection and the breach list

The background services that drive them are in `proctor.server.background`
(`AutomationMatcher`, `Notifier`, `SlaWatcher`).
"""
