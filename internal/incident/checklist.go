package incident

import "github.com/lifeboat-sre/lifeboat/internal/fact"

// Checklist names.
const (
	EmergencyRollback  = "emergency_rollback"
	PostRollbackReview = "post_rollback_review"
)

// ByAutomation is Item.By for items the system ticked itself.
const ByAutomation = "automation"

// templates are the plan's checklists ("Checklist Templates"), verbatim.
func templates() []Checklist {
	return []Checklist{
		{Name: EmergencyRollback, Items: items(
			"System status assessed",
			"SMP availability confirmed",
			"OpenViking traffic isolated",
			"Current state preserved",
			"SMP routing activated",
			"End-to-end testing completed",
			"Monitoring re-enabled",
			"Incident report initiated",
			"Stakeholders notified",
			"Root cause analysis started",
		)},
		{Name: PostRollbackReview, Items: items(
			"Timeline documented",
			"Root cause identified",
			"Fixes implemented",
			"Monitoring improved",
			"Procedures updated",
			"Team debrief completed",
			"Lessons learned captured",
			"Re-deployment plan approved",
			"Schedule for re-deployment set",
			"Success criteria defined",
		)},
	}
}

func items(texts ...string) []Item {
	out := make([]Item, len(texts))
	for i, t := range texts {
		out[i] = Item{Text: t}
	}
	return out
}

// autoTick says which timeline entry ticks an item that automation
// performs. Each rule ticks its item once, at the first entry it matches;
// done reports whether another item of the emergency checklist is ticked.
// Items without a rule are left to people.
func autoTick(checklist, item string, f fact.Fact, done func(item string) bool) bool {
	if checklist == PostRollbackReview {
		_, closed := f.(fact.Closed)
		return item == "Timeline documented" && (ends(f) || closed)
	}
	switch item {
	case "System status assessed":
		return is[fact.TriggerFired](f)
	case "SMP availability confirmed":
		return is[fact.FallbackVerified](f)
	case "OpenViking traffic isolated", "SMP routing activated":
		return isolates(f)
	case "Current state preserved":
		return is[fact.Artifact](f)
	case "End-to-end testing completed":
		return rollbackOK(f)
	case "Monitoring re-enabled":
		// Once the primary is isolated, the first health verdict or restore
		// step shows the watch on it is running again.
		return done("OpenViking traffic isolated") && monitoring(f)
	case "Incident report initiated":
		return opens(f)
	case "Stakeholders notified":
		return is[fact.NotifySent](f)
	}
	return false
}

// is reports whether f is an F.
func is[F fact.Fact](f fact.Fact) bool {
	_, ok := f.(F)
	return ok
}
