package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

const incidentColumns = `id, opened_at, closed_at, open, level, max_level, trigger_name, rollback, manual, acked_by, acked_at`

type scanner interface{ Scan(dest ...any) error }

func scanIncident(row scanner) (Incident, error) {
	var inc Incident
	var opened, closed, acked int64
	err := row.Scan(&inc.ID, &opened, &closed, &inc.Open, &inc.Level, &inc.MaxLevel, &inc.Trigger,
		&inc.Rollback, &inc.Manual, &inc.AckedBy, &acked)
	inc.OpenedAt, inc.ClosedAt, inc.AckedAt = fromUnixNano(opened), fromUnixNano(closed), fromUnixNano(acked)
	return inc, err
}

// loadIncident reads one incident with its timeline, checklists and
// artifacts; metrics are left for the caller to measure.
func loadIncident(tx *sql.Tx, id string) (Incident, error) {
	inc, err := scanIncident(tx.QueryRow(`SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return inc, fmt.Errorf("%w: incident %s", ErrNotFound, id)
	}
	if err != nil {
		return inc, err
	}
	if inc.Timeline, err = loadTimeline(tx, id); err != nil {
		return inc, err
	}
	inc.Artifacts = artifacts(inc.Timeline)
	inc.Checklists, err = loadItems(tx, id)
	return inc, err
}

func loadTimeline(tx *sql.Tx, id string) ([]Entry, error) {
	rows, err := tx.Query(`SELECT seq, time, kind, source, severity, message, fields
		FROM incident_entries WHERE incident_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at int64
		var raw []byte
		if err := rows.Scan(&e.Seq, &at, &e.Kind, &e.Source, &e.Severity, &e.Message, &raw); err != nil {
			return nil, err
		}
		e.Time = fromUnixNano(at)
		if err := json.Unmarshal(raw, &e.Fields); err != nil {
			return nil, fmt.Errorf("incident %s entry %d: %w", id, e.Seq, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// artifacts lists what the timeline says was preserved.
func artifacts(tl []Entry) []Artifact {
	var out []Artifact
	for _, e := range tl {
		if a, ok := e.Fact().(fact.Artifact); ok {
			out = append(out, Artifact{Name: a.Name, Location: a.Location, Time: e.Time, Seq: e.Seq})
		}
	}
	return out
}

// checklists are an incident's checklists in the plan's order.
type checklists []Checklist

func loadItems(tx *sql.Tx, id string) (checklists, error) {
	rows, err := tx.Query(`SELECT checklist, text, done, done_by, done_at, event
		FROM incident_items WHERE incident_id = ? ORDER BY checklist, position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := checklists(templates())
	for i := range out {
		out[i].Items = out[i].Items[:0]
	}
	for rows.Next() {
		var it Item
		var name string
		var at int64
		if err := rows.Scan(&name, &it.Text, &it.Done, &it.By, &at, &it.Event); err != nil {
			return nil, err
		}
		it.At = fromUnixNano(at)
		if c := out.named(name); c != nil {
			c.Items = append(c.Items, it)
		}
	}
	return out, rows.Err()
}

func (cs checklists) named(name string) *Checklist {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

// find returns the item with this text, the zero Item when there is none.
func (cs checklists) find(name, text string) Item {
	if c := cs.named(name); c != nil {
		for _, it := range c.Items {
			if it.Text == text {
				return it
			}
		}
	}
	return Item{}
}

// locate resolves a person's reference to an item, its text (any case) or
// its 1-based position, to the position.
func (cs checklists) locate(name, ref string) (int, Item, error) {
	c := cs.named(name)
	if c == nil {
		return 0, Item{}, fmt.Errorf("%w: checklist %q (want %s or %s)", ErrNotFound, name, EmergencyRollback, PostRollbackReview)
	}
	ref = strings.TrimSpace(ref)
	if n, err := strconv.Atoi(ref); err == nil && n >= 1 && n <= len(c.Items) {
		return n, c.Items[n-1], nil
	}
	for i, it := range c.Items {
		if strings.EqualFold(it.Text, ref) {
			return i + 1, it, nil
		}
	}
	return 0, Item{}, fmt.Errorf("%w: item %q in %s", ErrNotFound, ref, name)
}

// list reads the newest incidents first, without timelines.
func (s *Store) list(ctx context.Context, limit int) ([]Incident, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents ORDER BY opened_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

// openID returns the open incident, if any.
func (s *Store) openID(ctx context.Context) (string, bool, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM incidents WHERE open = 1`).Scan(&id)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	return id, err == nil, err
}
