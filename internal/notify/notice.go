package notify

import (
	"context"
	"maps"
	"time"
)

// Action is what a notice does to the incident on the receiver's side, in
// PagerDuty's vocabulary.
type Action string

// The three actions. Repeats and updates of an open incident are Trigger
// again, with the same DedupKey.
const (
	Trigger     Action = "trigger"
	Acknowledge Action = "acknowledge"
	Resolve     Action = "resolve"
)

// Severity is PagerDuty's set of severities.
type Severity string

// The four severities; an empty or unknown one is sent as SeverityError.
const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityError    Severity = "error"
	SeverityCritical Severity = "critical"
)

// orDefault returns s when it is one of the four, else SeverityError,
// because PagerDuty rejects any other value.
func (s Severity) orDefault() Severity {
	switch s {
	case SeverityInfo, SeverityWarning, SeverityError, SeverityCritical:
		return s
	}
	return SeverityError
}

// Notice is what people are told. One incident has one DedupKey for its
// whole life. Details is shared by the copies the chain makes, so nobody
// may change it after handing the notice over.
type Notice struct {
	Action   Action         // Trigger, Acknowledge or Resolve
	DedupKey string         // the incident id
	Summary  string         // one line
	Severity Severity       // info, warning, error, critical
	Level    string         // "L2"
	Source   string         // e.g. the gateway's listen address
	Tier     string         // escalation tier being paged, set by the chain
	Time     time.Time      // when it happened; zero means now
	Details  map[string]any // evidence: triggers, mode, rollback verdict, metrics
	URL      string         // optional link (status page)
	// Repeat marks a cadence repeat, set by the chain. The Dispatcher drops
	// repeats first when a queue is full and never drops anything else.
	Repeat bool
	// By names who acknowledged (Acknowledge only), set by the chain.
	By string
	// Seq numbers the incident's state changes as the chain told them:
	// 1 for the opening, then one more for each escalation,
	// acknowledgement, re-trigger and the resolution. A repeat carries the
	// Seq of the state it repeats, so a receiver can thread and drop
	// duplicates. Set by the chain.
	Seq int
	// DryRun marks a notice about a gateway in dry run, whose traffic
	// never moved. Every notifier says so (see shown): nobody must be
	// paged for real by a rehearsal.
	DryRun bool
}

// dryRunPrefix starts the summary of every dry-run notice.
const dryRunPrefix = "[DRY RUN] "

// shown is n as the notifiers render it. A dry-run notice has its
// summary prefixed with "[DRY RUN] ", its severity capped at warning, so
// no receiver routes it as a page, and dry_run true in a copy of its
// details (PagerDuty's custom_details, the webhook's details).
func (n Notice) shown() Notice {
	if !n.DryRun {
		return n
	}
	n.Summary = dryRunPrefix + n.Summary
	if sev := n.Severity.orDefault(); sev == SeverityError || sev == SeverityCritical {
		n.Severity = SeverityWarning
	}
	d := maps.Clone(n.Details)
	if d == nil {
		d = map[string]any{}
	}
	d["dry_run"] = true
	n.Details = d
	return n
}

// when returns the notice's time, or now when it has none.
func (n Notice) when() time.Time {
	if n.Time.IsZero() {
		return time.Now()
	}
	return n.Time
}

// Notifier delivers a notice to one destination. Notify must honour ctx and
// return an error wrapping ErrPermanent when trying again cannot help.
type Notifier interface {
	Name() string
	Notify(ctx context.Context, n Notice) error
}

// Attempter is a Notifier that retries by itself and says how many attempts
// it made; the Dispatcher reports that number in Result.Attempts.
type Attempter interface {
	NotifyAttempts(ctx context.Context, n Notice) (attempts int, err error)
}
