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
		return result{outcome: outcomeApplied}, r.createSession(ctx, o)
	case v.count == 0:
		return result{outcome: outcomeAlready}, nil
	}
	detail := fmt.Sprintf("session %s already had %d messages on the primary; the journal's writes are added after them",
		o.rec.Session, v.count)
	return conflicted(outcomeConflict, ConflictSessionExists, detail, false), nil
}

// createSession creates the op's session on the primary.
func (r *replayer) createSession(ctx context.Context, o *op) error {
	body, _ := json.Marshal(map[string]string{"session_id": o.rec.Session}) // a map of strings always encodes
	rp, err := r.p.do(ctx, o.rec.Tenant, http.MethodPost, sessionsPath, body)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	if err == nil {
		r.views[o.rec.Session] = pview{exists: true}
	}
	return err
}

// message sends one message between a durable begin and a done. Resumed
// after a crash, it first checks whether the message already landed.
func (r *replayer) message(ctx context.Context, o *op) (result, error) {
	if already, err := r.beginOnce(ctx, o, r.messageLanded); already || err != nil {
		return result{outcome: outcomeAlready}, err
	}
	return r.sendMessage(ctx, o)
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
		err = r.j.begin(o, v.pre())
	}
	return false, err
}

// sendMessage posts the message; a session the primary does not have is
// created first and reported.
func (r *replayer) sendMessage(ctx context.Context, o *op) (result, error) {
	res := result{outcome: outcomeApplied}
	rp, err := r.postMessage(ctx, o)
	if err == nil && !rp.found() {
		detail := fmt.Sprintf("session %s did not exist on the primary; the replay created it", o.rec.Session)
		res = conflicted(outcomeConflict, ConflictSessionMissing, detail, false)
		if err = r.createSession(ctx, o); err == nil {
			rp, err = r.postMessage(ctx, o)
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

func (r *replayer) postMessage(ctx context.Context, o *op) (reply, error) {
	m := Message{Role: o.rec.Role, Content: o.rec.Content}
	body, err := json.Marshal(m)
	if err != nil {
		return reply{}, err
	}
	return r.p.do(ctx, o.rec.Tenant, http.MethodPost, sessionsPrefix+o.rec.Session+"/messages", body)
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
	last := &Message{Role: o.rec.Role, Content: o.rec.Content}
	r.views[o.rec.Session] = pview{exists: true, count: *res.MessageCount, last: last}
}

// commit sends a commit between a durable begin and a done. Resumed after
// a crash, fewer messages than before means it already landed.
func (r *replayer) commit(ctx context.Context, o *op) (result, error) {
	if already, err := r.beginOnce(ctx, o, r.commitLanded); already || err != nil {
		return result{outcome: outcomeAlready}, err
	}
	body, _ := json.Marshal(map[string]int{"keep_recent_count": o.rec.Keep}) // a map of ints always encodes
	rp, err := r.p.do(ctx, o.rec.Tenant, http.MethodPost, sessionsPrefix+o.rec.Session+"/commit", body)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	delete(r.views, o.rec.Session) // how many messages a commit keeps is the primary's business
	return result{outcome: outcomeApplied}, err
}

// remove deletes the session; one already gone counts as deleted.
func (r *replayer) remove(ctx context.Context, o *op) (result, error) {
	_, err := r.p.do(ctx, o.rec.Tenant, http.MethodDelete, sessionsPrefix+o.rec.Session, nil)
	if err == nil {
		r.views[o.rec.Session] = pview{}
	}
	return result{outcome: outcomeApplied}, err
}

// resource adds the resource again with its original body; adding a
// resource twice replaces it, so a resumed replay needs no marker.
func (r *replayer) resource(ctx context.Context, o *op) (result, error) {
	rp, err := r.p.do(ctx, o.rec.Tenant, http.MethodPost, resourcesPath, o.rec.Body)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	return result{outcome: outcomeApplied}, err
}
