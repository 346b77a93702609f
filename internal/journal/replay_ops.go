package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// create makes sure the session exists. One that already holds messages
// is a conflict worth reporting: the journal's writes land after them.
func (r *replayer) create(ctx context.Context, o *op) (result, error) {
	v, err := r.fetch(ctx, o)
	switch {
	case err != nil:
		return result{}, err
	case !v.exists:
		return result{outcome: outcomeApplied}, r.send(ctx, o, o.rec.Req)
	case v.count == 0:
		return result{outcome: outcomeAlready}, nil
	}
	detail := fmt.Sprintf("session %s already had %d messages on the primary; the journal's writes are added after them",
		o.rec.Session, v.count)
	return conflicted(outcomeConflict, ConflictSessionExists, detail, false), nil
}

// send sends q and judges the answer: a session the primary does not have
// is a rejection here (the callers that can create it check first).
func (r *replayer) send(ctx context.Context, o *op, q *request) error {
	rp, err := r.p.do(ctx, q)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	if err == nil && o.rec.Kind == kindCreate {
		r.views[o.rec.Session] = pview{exists: true}
	}
	return err
}

// messages sends a message or a batch between a durable begin and a done.
// Resumed after a crash, it first checks whether the messages landed.
func (r *replayer) messages(ctx context.Context, o *op) (result, error) {
	if already, err := r.beginOnce(ctx, o, r.messagesLanded); already || err != nil {
		return result{outcome: outcomeAlready}, err
	}
	res := result{outcome: outcomeApplied}
	rp, err := r.p.do(ctx, o.rec.Req)
	if err == nil && !rp.found() {
		// The primary creates a session on its first message; one that
		// answers 404 does not, so the replay creates it first.
		detail := fmt.Sprintf("session %s did not exist on the primary; the replay created it", o.rec.Session)
		res = conflicted(outcomeConflict, ConflictSessionMissing, detail, false)
		body := mustJSON(map[string]string{"session_id": o.rec.Session})
		if err = r.send(ctx, o, o.rec.Req.as(http.MethodPost, sessionsPath, "", body)); err == nil {
			rp, err = r.p.do(ctx, o.rec.Req)
		}
	}
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	if err != nil {
		return result{}, err
	}
	r.track(o, rp)
	return res, nil
}

// beginOnce readies an op the primary must get at most once. Resumed after
// a crash (o.begun set), it asks landed whether the op already reached the
// primary, and already is true when it did: nothing is left to send.
// Otherwise it records a durable begin with what the primary holds now, so
// a later resume can tell. Callers may pair any error with any result:
// replay stops on it and never reads the result.
func (r *replayer) beginOnce(ctx context.Context, o *op,
	landed func(context.Context, *op) (bool, error)) (already bool, err error) {
	if o.begun != nil {
		if already, err = landed(ctx, o); already || err != nil {
			return already, err
		}
	}
	v, err := r.view(ctx, o)
	if err == nil {
		err = r.j.begin(o, pre{Count: v.count})
	}
	return false, err
}

// track updates the view from the primary's answer to a message, so the
// next message of the session needs no GET.
func (r *replayer) track(o *op, rp reply) {
	var res struct {
		MessageCount *int `json:"message_count"`
	}
	if json.Unmarshal(rp.result, &res) != nil || res.MessageCount == nil {
		delete(r.views, o.rec.Session) // unknown: ask again next time
		return
	}
	r.views[o.rec.Session] = pview{exists: true, count: *res.MessageCount}
}

// commit sends a commit between a durable begin and a done. Resumed after
// a crash, fewer messages than before means it already landed.
func (r *replayer) commit(ctx context.Context, o *op) (result, error) {
	if already, err := r.beginOnce(ctx, o, r.commitLanded); already || err != nil {
		return result{outcome: outcomeAlready}, err
	}
	rp, err := r.p.do(ctx, o.rec.Req)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	delete(r.views, o.rec.Session) // how many messages a commit keeps is the primary's business
	var res struct {
		TaskID string `json:"task_id"`
	}
	_ = json.Unmarshal(rp.result, &res) // a commit the primary skipped has no task
	return result{outcome: outcomeApplied, task: res.TaskID}, err
}

// remove deletes the session; one already gone counts as deleted.
func (r *replayer) remove(ctx context.Context, o *op) (result, error) {
	_, err := r.p.do(ctx, o.rec.Req)
	if err == nil {
		r.views[o.rec.Session] = pview{}
	}
	return result{outcome: outcomeApplied}, err
}

// plain sends an op whose repetition does no harm (a usage record, a
// resource added again replaces itself), so a resumed replay needs no
// marker.
func (r *replayer) plain(ctx context.Context, o *op) (result, error) {
	return result{outcome: outcomeApplied}, r.send(ctx, o, o.rec.Req)
}
