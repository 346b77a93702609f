package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Export and Import copy an incident between replicas' databases in
// cluster mode: the decider exports each incident it records, the others
// import it, so any replica answers for it, and a new decider carries on
// the same incident.

// documentVersion is the layout of an exported incident.
const documentVersion = 1

// document is an exported incident: its row, its whole timeline and its
// checklists. Metrics and artifacts are not in it: they are derived from
// the timeline whenever an incident is read.
type document struct {
	Version  int      `json:"version"`
	Incident Incident `json:"incident"`
}

// Export returns incident id with its timeline and checklists as a
// document for Import.
func (r *Recorder) Export(ctx context.Context, id string) ([]byte, error) {
	inc, err := r.load(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("incident: export %s: %w", id, err)
	}
	inc.Artifacts = nil
	doc, err := json.Marshal(document{Version: documentVersion, Incident: inc})
	if err != nil {
		return nil, fmt.Errorf("incident: export %s: %w", id, err)
	}
	return doc, nil
}

// Import stores an exported incident under its own id, replacing what
// this database held of it, in one transaction; importing the same
// document again changes nothing. A document with fewer timeline entries
// than the local copy is older than it and is ignored: an import never
// takes entries away. An imported open incident closes any other open
// one here (only one can be open) and becomes the recorder's current
// incident, so events recorded next append to it. Nobody is told
// (OnChange): the replica that recorded it has told them.
func (r *Recorder) Import(ctx context.Context, doc []byte) error {
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("%w: %w", ErrDocument, err)
	}
	inc := d.Incident
	if d.Version != documentVersion || inc.ID == "" {
		return fmt.Errorf("%w: version %d, id %q", ErrDocument, d.Version, inc.ID)
	}
	stale := false
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		var have int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM incident_entries WHERE incident_id = ?`, inc.ID).Scan(&have); err != nil {
			return err
		}
		if stale = have > len(inc.Timeline); stale {
			return nil
		}
		return replace(tx, inc)
	})
	if err != nil {
		return fmt.Errorf("incident: import %s: %w", inc.ID, err)
	}
	switch {
	case stale:
	case inc.Open:
		r.setCurrent(inc.ID)
	default:
		r.clearCurrent(inc.ID)
	}
	return nil
}

// replace writes inc's row, timeline and checklist items over this
// database's copy.
func replace(tx *sql.Tx, inc Incident) error {
	if inc.Open {
		if err := closeOthers(tx, inc); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO incidents (`+incidentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET opened_at = excluded.opened_at, closed_at = excluded.closed_at,
			open = excluded.open, level = excluded.level, max_level = excluded.max_level,
			trigger_name = excluded.trigger_name, rollback = excluded.rollback, manual = excluded.manual,
			acked_by = excluded.acked_by, acked_at = excluded.acked_at`,
		inc.ID, unixNano(inc.OpenedAt), unixNano(inc.ClosedAt), inc.Open, inc.Level, inc.MaxLevel,
		inc.Trigger, inc.Rollback, inc.Manual, inc.AckedBy, unixNano(inc.AckedAt)); err != nil {
		return err
	}
	if err := replaceEntries(tx, inc); err != nil {
		return err
	}
	return replaceItems(tx, inc)
}

// closeOthers ends a local open incident the imported one supersedes,
// such as one this replica recorded as decider before a partition.
func closeOthers(tx *sql.Tx, inc Incident) error {
	_, err := tx.Exec(`UPDATE incidents SET open = 0, closed_at = ? WHERE open = 1 AND id != ?`,
		unixNano(inc.OpenedAt), inc.ID)
	return err
}

func replaceEntries(tx *sql.Tx, inc Incident) error {
	if _, err := tx.Exec(`DELETE FROM incident_entries WHERE incident_id = ?`, inc.ID); err != nil {
		return err
	}
	for _, e := range inc.Timeline {
		raw, err := encodeFields(e.Fields)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO incident_entries (incident_id, seq, time, kind, source, severity, message, fields)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inc.ID, e.Seq, unixNano(e.Time), e.Kind, e.Source, e.Severity, e.Message, raw); err != nil {
			return err
		}
	}
	return nil
}

func replaceItems(tx *sql.Tx, inc Incident) error {
	if _, err := tx.Exec(`DELETE FROM incident_items WHERE incident_id = ?`, inc.ID); err != nil {
		return err
	}
	for _, c := range inc.Checklists {
		for i, it := range c.Items {
			if _, err := tx.Exec(`INSERT INTO incident_items (incident_id, checklist, position, text, done, done_by, done_at, event)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inc.ID, c.Name, i+1, it.Text, it.Done, it.By, unixNano(it.At), it.Event); err != nil {
				return err
			}
		}
	}
	return nil
}
