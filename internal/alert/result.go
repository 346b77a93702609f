package alert

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// resultEvent puts a delivery on the timeline; the first success ticks
// the checklist's "Stakeholders notified".
func resultEvent(r notify.Result) event.Event {
	d := fact.Delivery{Notifier: r.Notifier, Tier: r.Notice.Tier, Action: string(r.Notice.Action),
		Attempts: r.Attempts, Incident: r.Notice.DedupKey, Repeat: r.Notice.Repeat}
	var f fact.Fact = fact.NotifySent{Delivery: d}
	sev, msg := event.Info, "alert sent"
	if r.Err != nil {
		f, sev, msg = fact.NotifyFailed{Delivery: d, Error: r.Err.Error()}, event.Warning, "alert failed"
	}
	what := string(r.Notice.Action)
	if r.Notice.Repeat {
		what = "repeat of the " + what // the same state told again, not a new page
	}
	return event.Of(r.At, "notify", sev, fmt.Sprintf("%s: %s to %s (%s)", msg, what, r.Notifier, r.Notice.Tier), f)
}
