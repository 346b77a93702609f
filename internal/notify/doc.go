// Package notify tells people about incidents: notifiers for a generic JSON
// webhook, Slack incoming webhooks and PagerDuty Events API v2, a retry
// wrapper, a Dispatcher that delivers in the background so that a slow or
// failing receiver never blocks escalation, and the escalation Chain that
// decides who is paged when (the plan: DevOps at 0, the engineering director
// at 15 minutes, the CTO at 30 minutes).
//
// One incident has one DedupKey for its whole life, so PagerDuty folds every
// repeat, acknowledgement and resolution into one incident.
//
// The generic webhook POSTs this JSON body (Content-Type application/json):
//
//	{
//	  "status":    "trigger" | "acknowledge" | "resolve",
//	  "dedup_key": "incident id",
//	  "summary":   "one line",
//	  "severity":  "info" | "warning" | "error" | "critical",
//	  "level":     "L2",
//	  "tier":      "devops",
//	  "source":    "gateway address",        (omitted when empty)
//	  "timestamp": "2006-01-02T15:04:05Z",    (RFC 3339, UTC)
//	  "repeat":    true,                      (only on cadence repeats)
//	  "incident_key": "incident id",          (the same for every notice of one incident)
//	  "sequence":  3,                         (the incident's state change: 1 opened, +1 per escalation,
//	                                           acknowledgement, re-trigger and resolution; repeats keep theirs)
//	  "by":        "alice",                   (only on acknowledge)
//	  "url":       "status page link",        (omitted when empty)
//	  "details":   {...}                      (omitted when empty)
//	}
//
// Secrets (webhook URLs, routing keys, header values) never appear in error
// text: URLs are shown as scheme://host/<redacted> and any secret echoed by
// a receiver is replaced. The package never logs; the Dispatcher reports
// every delivery through its OnResult hook.
package notify
