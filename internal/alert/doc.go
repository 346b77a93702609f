// Package alert tells people about incidents: it turns each change of an
// incident (opened, escalated, acknowledged, resolved) into a notice for
// the escalation chain, picks up the paging of an incident a previous run
// left open, and puts every delivery on the incident's timeline as a
// notify.sent or notify.failed fact.
//
// It sits above incident, whose changes it reads, and notify, which
// delivers and decides who is paged when:
//
//	incident.Recorder ──Change──► Alerts ──Notice──► notify.Chain ──► notify.Dispatcher ──► Slack, PagerDuty, webhooks
//	                                 ▲                                       │
//	                                 └────────── Result as an event ◄────────┘
//
// The package never logs: deliveries reach the caller as events, and a
// paging state that cannot be kept through its OnLedgerError hook.
package alert
