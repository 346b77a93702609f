package journal

import (
	"context"
	"errors"
	"fmt"
)

// Report is what one Replay did.
type Report struct {
	Sessions    int        // sessions whose writes this replay moved
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
	upload   string // an upload's temp_file_id on the primary
	task     string // a commit's task id on the primary
}

func (r result) note() string {
	if r.conflict == nil {
		return ""
	}
	return r.conflict.Kind + ": " + r.conflict.Detail
}

// Replay sends the pending ops to the primary, acting as each op's tenant,
// until none is pending; ops appended meanwhile are replayed by the same
// call. Each session is a lane whose ops are sent strictly in sequence
// order, one at a time, and all resource ops form one more lane; up to
// Options.ReplayWorkers lanes run at once. It stops at the first error:
// ErrPrimary when the primary cannot take an op now (the op stays pending
// and a later Replay resumes it), ErrBroken or ErrClosed, or ctx's error;
// ops already sent are finished first, and no new one is started.
// Concurrent calls wait for the running one. With nothing left pending the
// log is reset to an empty file.
func (j *Journal) Replay(ctx context.Context, t Target) (Report, error) {
	select {
	case j.replaying <- struct{}{}:
	case <-ctx.Done():
		return Report{Remaining: j.Pending()}, ctx.Err()
	}
	defer func() { <-j.replaying }()
	p, done := newPrimary(t, j.replayWorkers())
	defer done()
	s := newScheduler(j, p)
	err := s.run(ctx)
	rep := s.report()
	rep.Remaining = j.Pending()
	return rep, err
}

// replayer replays the ops of one lane, in order. Its views are its own:
// a session's ops all go through one lane, so no other goroutine needs
// them.
type replayer struct {
	j     *Journal
	p     primary
	views map[string]pview // what the primary holds, learnt by this lane
}

// replay sends o once it is durable, so the primary never gets a write the
// client was not told of, and retires it.
func (r *replayer) replay(ctx context.Context, o *op) (result, error) {
	if err := r.j.synced(o.pos); err != nil {
		return result{}, err
	}
	res, err := r.one(ctx, o)
	if err == nil {
		err = r.j.finish(o, res)
	}
	return res, err
}

// one replays o; a rejection ends it as a lost write.
func (r *replayer) one(ctx context.Context, o *op) (result, error) {
	var res result
	var err error
	switch o.rec.Kind {
	case kindCreate:
		res, err = r.create(ctx, o)
	case kindMessage, kindBatch:
		res, err = r.messages(ctx, o)
	case kindCommit:
		res, err = r.commit(ctx, o)
	case kindDelete:
		res, err = r.remove(ctx, o)
	case kindUsed:
		res, err = r.plain(ctx, o)
	case kindUpload:
		res, err = r.upload(ctx, o)
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
	if rec.sessionless() {
		return "resource: " + string(rec.Req.Body)
	}
	return fmt.Sprintf("%s of session %s: %s %s %s", rec.Kind, rec.Session, rec.Req.Method, rec.Req.Path, rec.Req.Body)
}
