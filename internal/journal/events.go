package journal

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Kinds of the events a journal's replays are reported by.
const (
	// KindReplayed reports a replay that moved writes. Its fields sessions,
	// replayed, already, lost, remaining and conflicts are counts; an
	// incident's data-loss metric sums lost against replayed and already.
	KindReplayed = "journal.replayed"
	// KindConflict reports one conflict a replay found (see Conflict).
	KindConflict = "journal.conflict"
	// KindReplayFailed reports a replay that stopped on an error.
	KindReplayFailed = "journal.replay_failed"
)

// replayedEvent reports a replay that moved writes; a lost write makes it
// a warning.
func replayedEvent(at time.Time, rep Report, why string) event.Event {
	sev := event.Info
	if rep.Failed > 0 {
		sev = event.Warning
	}
	moved := rep.Replayed + rep.Already + rep.Failed
	return event.Event{Time: at, Kind: KindReplayed, Source: "journal", Severity: sev,
		Message: fmt.Sprintf("replayed %d journaled writes of %d sessions to the primary (%s): %d applied, %d already there, %d lost, %d waiting",
			moved, rep.Sessions, why, rep.Replayed, rep.Already, rep.Failed, rep.Remaining),
		Fields: map[string]any{"sessions": rep.Sessions, "replayed": rep.Replayed, "already": rep.Already, "lost": rep.Failed,
			"remaining": rep.Remaining, "conflicts": rep.Conflicts}}
}

// ConflictEvent reports one conflict a replay found, stamped at: a
// warning, critical when the write is lost. Options.OnConflict passes
// its conflicts here to put them on the timeline.
func ConflictEvent(c Conflict, at time.Time) event.Event {
	sev := event.Warning
	if c.Lost {
		sev = event.Critical
	}
	return event.Event{Time: at, Kind: KindConflict, Source: "journal", Severity: sev,
		Message: fmt.Sprintf("journal conflict on %s (%s): %s", c.SessionID, c.Kind, c.Detail),
		Fields:  map[string]any{"seq": c.Seq, "session_id": c.SessionID, "conflict": c.Kind, "detail": c.Detail, "lost": c.Lost}}
}
