package journal

import (
	"context"
	"errors"
	"fmt"
)

// Report is what one Replay did.
type Report struct {
	Replayed    int        // ops the primary took, with or without a conflict
	Already     int        // ops a resumed replay found already on the primary
	Conflicts   int        // conflicts found, lost writes included
	Failed      int        // ops the primary refused: those writes are lost
	Remaining   int        // ops still pending when Replay returned
	Conflicting []Conflict // every conflict found, in op order
}

// Conflict is a difference between what the journal acknowledged and what
// the primary held or accepted.
type Conflict struct {
	Seq       uint64 // the op's sequence number
	SessionID string // empty for a resource
	Kind      string // ConflictSessionExists, ConflictSessionMissing or ConflictRejected
	Detail    string
	Lost      bool // the write is not on the primary
}

// Conflict kinds.
const (
	// ConflictSessionExists: a session the journal created already had
	// messages on the primary; the journal's writes follow them.
	ConflictSessionExists = "session-exists"
	// ConflictSessionMissing: a session written to did not exist on the
	// primary; the replay created it before writing.
	ConflictSessionMissing = "session-missing"
	// ConflictRejected: the primary refused the op with a 4xx; it is lost.
	ConflictRejected = "rejected"
)

// result is how one op's replay ended.
type result struct {
	outcome  string
	conflict *Conflict
}

func (r result) note() string {
	if r.conflict == nil {
		return ""
	}
	return r.conflict.Kind + ": " + r.conflict.Detail
}

// Replay sends the pending ops to the primary in sequence order, acting as
// each op's tenant, until none is pending; ops appended meanwhile are
// replayed by the same call. It stops at the first error: ErrPrimary when
// the primary cannot take the op now (the op stays pending and a later
// Replay resumes it), ErrBroken or ErrClosed, or ctx's error. Concurrent
// calls wait for the running one. With nothing left pending the log is
// reset to an empty file.
func (j *Journal) Replay(ctx context.Context, t Target) (Report, error) {
	select {
	case j.replaying <- struct{}{}:
	case <-ctx.Done():
		return Report{Remaining: j.Pending()}, ctx.Err()
	}
	defer func() { <-j.replaying }()
	r := &replayer{j: j, p: newPrimary(t), views: map[string]pview{}}
	err := r.run(ctx)
	r.rep.Remaining = j.Pending()
	return r.rep, err
}

// replayer is the state of one Replay call.
type replayer struct {
	j     *Journal
	p     primary
	views map[string]pview // what the primary holds, learnt during this call
	rep   Report
}

func (r *replayer) run(ctx context.Context) error {
	for {
		if err := r.drain(ctx); err != nil {
			return err
		}
		if idle, err := r.j.resetIfIdle(); idle || err != nil {
			return err
		}
	}
}

// drain replays ops until none is pending. An op is sent only once it is
// durable, so the primary never gets a write the client was not told of.
func (r *replayer) drain(ctx context.Context) error {
	for {
		o, err := r.j.head()
		if o == nil || err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.j.log.wait(o.pos); err != nil {
			return err
		}
		res, err := r.one(ctx, o)
		if err == nil {
			err = r.j.finish(o, res)
		}
		if err != nil {
			return err
		}
		r.report(o, res)
	}
}

// one replays o; a rejection ends it as a lost write.
func (r *replayer) one(ctx context.Context, o *op) (result, error) {
	var res result
	var err error
	switch o.rec.Kind {
	case kindCreate:
		res, err = r.create(ctx, o)
	case kindMessage:
		res, err = r.message(ctx, o)
	case kindCommit:
		res, err = r.commit(ctx, o)
	case kindDelete:
		res, err = r.remove(ctx, o)
	case kindResource:
		res, err = r.resource(ctx, o)
	}
	var rj *rejection
	if errors.As(err, &rj) {
		detail := fmt.Sprintf("%v; the journal's %s", rj, describe(o.rec))
		return conflicted(outcomeFailed, ConflictRejected, detail, true), nil
	}
	return res, err
}

func conflicted(outcome, kind, detail string, lost bool) result {
	return result{outcome: outcome, conflict: &Conflict{Kind: kind, Detail: detail, Lost: lost}}
}

// describe names an op and its content for a conflict's detail.
func describe(rec *record) string {
	switch rec.Kind {
	case kindMessage:
		return fmt.Sprintf("message to session %s: role=%q content=%q", rec.Session, rec.Role, rec.Content)
	case kindCommit:
		return fmt.Sprintf("commit of session %s: keep_recent_count=%d", rec.Session, rec.Keep)
	case kindResource:
		return "resource: " + string(rec.Body)
	}
	return rec.Kind + " of session " + rec.Session
}

// report counts res and passes its conflict on.
func (r *replayer) report(o *op, res result) {
	switch res.outcome {
	case outcomeApplied, outcomeConflict:
		r.rep.Replayed++
	case outcomeAlready:
		r.rep.Already++
	case outcomeFailed:
		r.rep.Failed++
	}
	if res.conflict == nil {
		return
	}
	c := *res.conflict
	c.Seq, c.SessionID = o.rec.Seq, o.rec.Session
	r.rep.Conflicts++
	r.rep.Conflicting = append(r.rep.Conflicting, c)
	if r.j.o.OnConflict != nil {
		r.j.o.OnConflict(c)
	}
}
