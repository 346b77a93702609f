package incident

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Get returns an incident with its timeline, checklists, artifacts and
// metrics measured now.
func (r *Recorder) Get(ctx context.Context, id string) (Incident, error) {
	inc, err := r.load(ctx, id)
	if err != nil {
		return Incident{}, err
	}
	inc.Metrics = measure(inc, r.o.Now(), sources{downtime: r.o.Downtime, dataLoss: r.o.DataLoss})
	return inc, nil
}

// load reads an incident with its timeline, checklists and artifacts, in
// one snapshot, without measuring it.
func (r *Recorder) load(ctx context.Context, id string) (Incident, error) {
	var inc Incident
	err := r.s.read(ctx, func(tx *sql.Tx) error {
		var err error
		inc, err = loadIncident(tx, id)
		return err
	})
	return inc, err
}

// List returns up to limit incidents, newest first, without timelines,
// checklists, artifacts or metrics; limit <= 0 returns all.
func (r *Recorder) List(ctx context.Context, limit int) ([]Incident, error) {
	return r.s.list(ctx, limit)
}

// Latest names the incident opened last, open or closed, "" when there
// is none: after a return to L0, the incident it closed.
func (r *Recorder) Latest(ctx context.Context) (string, error) {
	list, err := r.List(ctx, 1)
	if err != nil || len(list) == 0 {
		return "", err
	}
	return list[0].ID, nil
}

// Ack records that by has taken the incident on, which stops the
// escalation chain. Acknowledging again (after a re-trigger) is allowed;
// a closed incident returns ErrClosed.
func (r *Recorder) Ack(ctx context.Context, id, by string) error {
	if by = strings.TrimSpace(by); by == "" {
		return ErrNoName
	}
	e := r.personal("acknowledged by "+by, fact.Acked{By: by})
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if err := mustBeOpen(tx, id, ErrClosed); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE incidents SET acked_by = ?, acked_at = ? WHERE id = ?`, by, unixNano(e.Time), id); err != nil {
			return err
		}
		var err error
		e, err = appendEntry(tx, id, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("incident: ack %s: %w", id, err)
	}
	r.entered(id)
	r.changed(ctx, Acked, id, e)
	return nil
}

// Tick marks a checklist item done by a person. item is the item's text
// (any case) or its 1-based position. Unknown checklists and items return
// ErrNotFound, items already ticked ErrDone. Closed incidents can still
// be ticked: the post-rollback review happens after the incident.
func (r *Recorder) Tick(ctx context.Context, id, checklist, item, by string) error {
	if by = strings.TrimSpace(by); by == "" {
		return ErrNoName
	}
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if _, err := loadSummary(tx, id); err != nil {
			return err
		}
		list, err := loadItems(tx, id)
		if err != nil {
			return err
		}
		pos, it, err := list.locate(checklist, item)
		if err != nil {
			return err
		}
		if it.Done {
			return fmt.Errorf("%w: %q by %s", ErrDone, it.Text, it.By)
		}
		e := r.personal(fmt.Sprintf("%s ticked %q", by, it.Text),
			fact.Ticked{Checklist: checklist, Item: it.Text, Position: pos, By: by})
		if e, err = appendEntry(tx, id, e); err != nil {
			return err
		}
		return setItem(tx, id, checklist, pos, by, e.Time, 0)
	})
	if err != nil {
		return fmt.Errorf("incident: tick %s: %w", id, err)
	}
	r.entered(id)
	return nil
}

// AddArtifact records preserved state and where it is; the first one
// ticks "Current state preserved".
func (r *Recorder) AddArtifact(ctx context.Context, id, name, location string) error {
	if strings.TrimSpace(name) == "" {
		return ErrNoName
	}
	e := r.personal(fmt.Sprintf("artifact %s preserved at %s", name, location),
		fact.Artifact{Name: name, Location: location})
	if err := r.appendTo(ctx, id, e); err != nil {
		return fmt.Errorf("incident: artifact for %s: %w", id, err)
	}
	return nil
}

// appendTo adds e to the timeline of incident id, open or closed.
func (r *Recorder) appendTo(ctx context.Context, id string, e Entry) error {
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if _, err := loadSummary(tx, id); err != nil {
			return err
		}
		_, err := appendEntry(tx, id, e)
		return err
	})
	if err == nil {
		r.entered(id)
	}
	return err
}

// Resolve closes an open incident by hand, for example when Lifeboat
// starts at L0 with an incident still open because its return to L0 was
// lost in a crash. It ticks "Timeline documented" like a normal close.
func (r *Recorder) Resolve(ctx context.Context, id, by, reason string) error {
	if by = strings.TrimSpace(by); by == "" {
		return ErrNoName
	}
	e := r.personal("closed by "+by+": "+reason, fact.Closed{By: by, Reason: reason})
	return r.resolve(ctx, id, e)
}

func (r *Recorder) resolve(ctx context.Context, id string, e Entry) error {
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		if err := mustBeOpen(tx, id, ErrClosed); err != nil {
			return err
		}
		var err error
		if e, err = appendEntry(tx, id, e); err != nil {
			return err
		}
		return closeTx(tx, id, e.Time)
	})
	if err != nil {
		return fmt.Errorf("incident: resolve %s: %w", id, err)
	}
	r.clearCurrent(id)
	r.entered(id)
	r.changed(ctx, Resolved, id, e)
	return nil
}

// personal is an entry for something a person did through this package.
func (r *Recorder) personal(msg string, f fact.Fact) Entry {
	return entryOf(event.Of(r.o.Now(), sourceIncident, event.Info, msg, f))
}
