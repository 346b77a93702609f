package incident

import (
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Kinds this package writes, or expects from the packages around it.
const (
	// KindAcked records an acknowledgement (fields: by).
	KindAcked = "incident.acked"
	// KindTicked records a person ticking a checklist item (fields:
	// checklist, item, position, by).
	KindTicked = "incident.ticked"
	// KindArtifact records preserved state (fields: name, location). Other
	// packages may emit it too; every one becomes an Artifact.
	KindArtifact = "incident.artifact"
	// KindClosed records an incident closed by Resolve (fields: by, reason).
	KindClosed = "incident.closed"
	// KindNotifySent is the notifiers' successful alert.
	KindNotifySent = "notify.sent"
)

// Kinds the level engine emits (internal/level/events.go), copied so this
// package does not depend on the engine; a test checks they agree.
const (
	kindLevelChanged     = "level.changed"
	kindTriggerFired     = "trigger.fired"
	kindFallbackVerified = "rollback.fallback_verified"
	kindRollback         = "rollback.result"
	kindControl          = "level.control"
	restorePrefix        = "restore."
	rollbackSuccessful   = "ROLLBACK SUCCESSFUL"
	levelNormal          = "L0"
	modeFallback         = "fallback"
	sourceIncident       = "incident"
)

func str(f map[string]any, key string) string {
	s, _ := f[key].(string)
	return s
}

// opens reports the level change that starts an incident.
func opens(e Entry) bool {
	return e.Kind == kindLevelChanged && str(e.Fields, "from") == levelNormal && str(e.Fields, "to") != levelNormal
}

// ends reports the level change back to normal.
func ends(e Entry) bool {
	return e.Kind == kindLevelChanged && str(e.Fields, "to") == levelNormal
}

// isolates reports routing that sends everything to the fallback.
func isolates(e Entry) bool {
	return e.Kind == event.ModeChanged && str(e.Fields, "to") == modeFallback
}

func rollbackOK(e Entry) bool {
	return e.Kind == kindRollback && e.Message == rollbackSuccessful
}

// monitoring reports an event that shows the primary is being watched:
// a health verdict or a step of the restore.
func monitoring(e Entry) bool {
	return e.Kind == event.HealthChanged || strings.HasPrefix(e.Kind, restorePrefix)
}

// manual reports a person acting on the engine.
func manual(e Entry) bool {
	return e.Kind == kindControl || e.Fields["manual"] == true
}

// evidence is the part of a trigger's evidence this package reads.
type evidence struct {
	trigger  string
	badSince time.Time
	onset    time.Time
}

// readEvidence reads a trigger.Evidence after a JSON round trip.
func readEvidence(v any) evidence {
	m, _ := v.(map[string]any)
	t, _ := time.Parse(time.RFC3339Nano, str(m, "bad_since"))
	o, _ := time.Parse(time.RFC3339Nano, str(m, "onset"))
	return evidence{trigger: str(m, "trigger"), badSince: t, onset: o}
}

// firedEvidence is a trigger.fired entry's evidence.
func firedEvidence(e Entry) evidence { return readEvidence(e.Fields["evidence"]) }

// firstEvidence is the first trigger named in a level change's evidence.
func firstEvidence(e Entry) evidence {
	list, _ := e.Fields["evidence"].([]any)
	if len(list) == 0 {
		return evidence{}
	}
	return readEvidence(list[0])
}

// verdict shortens a rollback.result message to the plan's verdict.
func verdict(msg string) string {
	v, _, _ := strings.Cut(msg, ":")
	return v
}
