package incident

import (
	"context"
	"fmt"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// KindNote records what a person decided about an incident after the fact,
// such as discarding the journaled writes it left behind (fields: by and
// the caller's own).
const KindNote = "incident.note"

// Note appends a person's record to an incident, open or closed: what
// became of an incident's leftovers is part of its story even after it
// was closed.
func (r *Recorder) Note(ctx context.Context, id, by, msg string, fields map[string]any) error {
	if by = strings.TrimSpace(by); by == "" {
		return ErrNoName
	}
	f := map[string]any{"by": by}
	for k, v := range fields {
		f[k] = v
	}
	e := Entry{Time: r.o.Now(), Kind: KindNote, Source: sourceIncident, Severity: string(event.Info), Message: msg, Fields: f}
	if err := r.appendTo(ctx, id, e); err != nil {
		return fmt.Errorf("incident: note on %s: %w", id, err)
	}
	return nil
}
