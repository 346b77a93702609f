package incident

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// The operations below run inside a caller's transaction, so that opening
// an incident with its first entries, or appending an entry with the
// checklist items it ticks, commits all or nothing.

// create inserts an open incident with the plan's checklists, unticked.
func create(tx *sql.Tx, id string, at time.Time) error {
	if _, err := tx.Exec(`INSERT INTO incidents (id, opened_at, open) VALUES (?, ?, 1)`, id, unixNano(at)); err != nil {
		return err
	}
	for _, c := range templates() {
		for i, it := range c.Items {
			if _, err := tx.Exec(`INSERT INTO incident_items (incident_id, checklist, position, text) VALUES (?, ?, ?, ?)`,
				id, c.Name, i+1, it.Text); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendEntry adds e to the timeline with the next sequence number,
// updates the incident's summary and ticks the items e performs. It
// returns e as stored, its fields read back from JSON.
func appendEntry(tx *sql.Tx, id string, e Entry) (Entry, error) {
	raw, err := encodeFields(e.Fields)
	if err != nil {
		return Entry{}, err
	}
	// Decode into a fresh map: unmarshalling into e.Fields would write
	// into the caller's map, which other sinks of the same event still read.
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Entry{}, err
	}
	e.Fields = fields
	e = e.typed()
	if err := tx.QueryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_entries WHERE incident_id = ?`, id).Scan(&e.Seq); err != nil {
		return Entry{}, err
	}
	if _, err := tx.Exec(`INSERT INTO incident_entries (incident_id, seq, time, kind, source, severity, message, fields)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, e.Seq, unixNano(e.Time), e.Kind, e.Source, e.Severity, e.Message, raw); err != nil {
		return Entry{}, err
	}
	if err := summarizeTx(tx, id, e); err != nil {
		return Entry{}, err
	}
	return e, tickAuto(tx, id, e)
}

// encodeFields keeps an event whose fields cannot be encoded, noting why,
// rather than losing it from the timeline.
func encodeFields(f map[string]any) ([]byte, error) {
	raw, err := json.Marshal(f)
	if err != nil {
		return json.Marshal(map[string]any{"unrecorded_fields": err.Error()})
	}
	return raw, nil
}

// summarizeTx folds e into the incident's summary columns.
func summarizeTx(tx *sql.Tx, id string, e Entry) error {
	inc, err := loadSummary(tx, id)
	if err != nil {
		return err
	}
	next := inc
	summarize(&next, e.fact)
	if next == inc {
		return nil
	}
	_, err = tx.Exec(`UPDATE incidents SET level = ?, max_level = ?, trigger_name = ?, rollback = ?, manual = ? WHERE id = ?`,
		next.Level, next.MaxLevel, next.Trigger, next.Rollback, next.Manual, id)
	return err
}

// summary is the part of an Incident kept in its row.
type summary struct {
	Level, MaxLevel, Trigger, Rollback string
	Manual                             bool
}

func summarize(s *summary, f fact.Fact) {
	switch f := f.(type) {
	case fact.LevelChanged:
		if to := string(f.To); to != "" {
			s.Level, s.MaxLevel = to, max(s.MaxLevel, to)
		}
		if s.Trigger == "" {
			s.Trigger = f.FirstReading().Trigger
		}
	case fact.TriggerFired:
		if s.Trigger == "" {
			s.Trigger = f.Reading().Trigger
		}
	case fact.RollbackResult:
		s.Rollback = string(f.Verdict)
	case fact.Control:
		s.Manual = true
	}
}

func loadSummary(tx *sql.Tx, id string) (summary, error) {
	var s summary
	err := tx.QueryRow(`SELECT level, max_level, trigger_name, rollback, manual FROM incidents WHERE id = ?`, id).
		Scan(&s.Level, &s.MaxLevel, &s.Trigger, &s.Rollback, &s.Manual)
	if err == sql.ErrNoRows {
		return s, fmt.Errorf("%w: incident %s", ErrNotFound, id)
	}
	return s, err
}

// tickAuto ticks every unticked item that e performs, citing e.
func tickAuto(tx *sql.Tx, id string, e Entry) error {
	list, err := loadItems(tx, id)
	if err != nil {
		return err
	}
	done := func(text string) bool { return list.find(EmergencyRollback, text).Done }
	for _, c := range list {
		for i, it := range c.Items {
			if it.Done || !autoTick(c.Name, it.Text, e.fact, done) {
				continue
			}
			if err := setItem(tx, id, c.Name, i+1, ByAutomation, e.Time, e.Seq); err != nil {
				return err
			}
			c.Items[i] = Item{Text: it.Text, Done: true, By: ByAutomation, At: e.Time, Event: e.Seq}
		}
	}
	return nil
}

func setItem(tx *sql.Tx, id, checklist string, pos int, by string, at time.Time, seq int) error {
	_, err := tx.Exec(`UPDATE incident_items SET done = 1, done_by = ?, done_at = ?, event = ?
		WHERE incident_id = ? AND checklist = ? AND position = ?`, by, unixNano(at), seq, id, checklist, pos)
	return err
}

// closeTx ends the incident at at.
func closeTx(tx *sql.Tx, id string, at time.Time) error {
	_, err := tx.Exec(`UPDATE incidents SET open = 0, closed_at = ? WHERE id = ?`, unixNano(at), id)
	return err
}

// unixNano stores times as integers, so they sort and compare in SQL and
// keep their full precision; the zero time is 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
