package journal

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// kindOf is the op kind a write route journals.
var kindOf = map[route]string{routeMessage: kindMessage, routeBatch: kindBatch, routeCommit: kindCommit,
	routeUsed: kindUsed, routeDelete: kindDelete}

// append writes rec when check passes and lets answer read the new state
// under the same lock; then it waits for the fsync. Nothing is appended
// when check fails, and the caller acknowledges only on a nil error.
// rec's base is dropped when the session became held meanwhile (a
// concurrent write took it first), before check sees rec.
func (j *Journal) append(rec *record, check func(*state) error, answer func(*state)) error {
	if j.sh != nil {
		return j.sh.append(rec, answer) // the shared order decides: see admit
	}
	j.mu.Lock()
	if rec.Base != nil && j.st.sessions[rec.Req.key(rec.Session)] != nil {
		rec.Base = nil
	}
	err := check(&j.st)
	var pos int64
	if err == nil {
		pos, err = j.appendLocked(rec)
	}
	if err == nil && answer != nil {
		answer(&j.st)
	}
	j.mu.Unlock()
	if err != nil {
		return err
	}
	return j.durable(pos)
}

// durable waits for the fsync covering pos, then tells the owner.
func (j *Journal) durable(pos int64) error {
	if err := j.log.wait(pos); err != nil {
		return err
	}
	if j.o.OnAppend != nil {
		j.o.OnAppend()
	}
	return nil
}

// stamp is the time the journal gives a message its client sent without
// one: when it was accepted.
func (j *Journal) stamp() string { return j.o.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// create journals a new session; an empty id gets a new UUID, written
// into the kept request so the replay creates the same one. A session the
// journal already holds for the same tenant is returned as is, with
// nothing appended (appended reports which), as create is idempotent.
func (j *Journal) create(q *request) (res map[string]any, appended bool, err error) {
	var req struct {
		SessionID string `json:"session_id"`
	}
	if err := decode(q.Body, &req, true); err != nil {
		return nil, false, err
	}
	if req.SessionID == "" {
		req.SessionID = newUUID()
		if q.Body, err = setField(q.Body, "session_id", req.SessionID); err != nil {
			return nil, false, err
		}
	} else if !message.ValidID(req.SessionID) {
		return nil, false, invalid("invalid session_id")
	}
	id := req.SessionID
	res = createAnswer(q, id)
	if j.sh != nil {
		appended, err = j.sh.create(&record{Kind: kindCreate, Session: id, Req: q})
		return res, appended, err
	}
	j.mu.Lock()
	if s := j.st.sessions[q.key(id)]; s != nil && !s.deleted {
		j.mu.Unlock()
		return res, false, nil
	}
	pos, err := j.appendLocked(&record{Kind: kindCreate, Session: id, Req: q})
	j.mu.Unlock()
	if err == nil {
		err = j.durable(pos)
	}
	return res, err == nil, err
}

// setField sets one field of a JSON object body (an empty body is {}).
func setField(body json.RawMessage, key, value string) (json.RawMessage, error) {
	fields := map[string]json.RawMessage{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, invalid("invalid request body: " + err.Error())
		}
	}
	fields[key] = mustJSON(value)
	return json.Marshal(fields)
}

// write journals one write to session id: the request checked as the
// primary would check it, messages stamped with their time, and the
// answer computed from the session carried on.
func (j *Journal) write(rt route, q *request, id string) (any, error) {
	if err := j.prepare(rt, q); err != nil {
		return nil, err
	}
	rec := &record{Kind: kindOf[rt], Session: id, Req: q, Base: j.baseFor(q, id)}
	var res any
	check := func(st *state) error {
		s, err := st.admits(rec)
		if err == nil && rt == routeCommit && !commitSkips(s, rec) {
			rec.Task = taskPrefix + newUUID()
		}
		return err
	}
	err := j.append(rec, check, func(st *state) {
		if rt == routeCommit {
			res = commitAnswer(rec.Task, id)
		} else {
			res = writeAnswer(rt, st.sessions[q.key(id)], q, id)
		}
	})
	return res, err
}

// admits checks a session write against the state it is about to apply
// to. A session the journal does not hold may be on the primary: its
// writes are taken, and the replay finds out; a session deleted while
// held is not found, but for messages, as the primary creates a deleted
// session again on its first message. It returns the held session.
func (st *state) admits(rec *record) (*session, error) {
	s, err := st.visible(rec.Req.key(rec.Session))
	if errors.Is(err, ErrNotFound) && (rec.Kind == kindMessage || rec.Kind == kindBatch) {
		return nil, nil
	}
	return s, err
}

// prepare validates a write's body as the primary would and stamps its
// messages.
func (j *Journal) prepare(rt route, q *request) error {
	var err error
	switch rt {
	case routeMessage:
		var m message.Request
		if err = decode(q.Body, &m, false); err == nil {
			err = invalidIf(m.Validate())
		}
		if err == nil {
			q.Body, err = message.Stamp(q.Body, j.stamp())
		}
	case routeBatch:
		var b message.Batch
		if err = decode(q.Body, &b, false); err == nil {
			err = invalidIf(b.Validate())
		}
		if err == nil {
			q.Body, err = message.StampBatch(q.Body, j.stamp())
		}
	case routeCommit:
		var c message.Commit
		if err = decode(q.Body, &c, true); err == nil {
			err = invalidIf(c.Validate())
		}
	case routeUsed:
		err = decode(q.Body, &usedRequest{}, false)
	}
	return invalidIf(err)
}

// invalidIf makes any validation error INVALID_ARGUMENT.
func invalidIf(err error) error {
	if err == nil || errors.Is(err, ErrInvalid) {
		return err
	}
	return invalid(err.Error())
}

// commitSkips judges a commit before it applies to session s (nil: not
// held): it is "skipped" only when the journal knows the session's count
// and nothing lies beyond keep; it is journaled anyway, because the
// primary may hold messages the journal never saw. Only an accepted
// commit gets a task id.
func commitSkips(s *session, rec *record) bool {
	var c commitRequest
	_ = decode(rec.Req.Body, &c, true) // checked by prepare
	n, complete := heldBefore(s, rec.Base)
	return complete && n <= c.KeepRecentCount
}

// commitAnswer is the answer to a commit given task, the id commitSkips
// let it have ("" when skipped).
func commitAnswer(task, id string) map[string]any {
	if task == "" {
		return map[string]any{"session_id": id, "status": "skipped", "task_id": nil, "archive_uri": nil,
			"archived": false, "reason": "no_messages", "trace_id": traceID()}
	}
	// The archive's URI is the primary's to choose when the commit is
	// replayed, so the journal names none.
	return map[string]any{"session_id": id, "status": "accepted", "task_id": task,
		"archive_uri": nil, "archived": true, "trace_id": traceID(), "estimated_active_tokens": 0}
}

// writeAnswer is the primary's answer to a write, from the session the
// journal carries on.
func writeAnswer(rt route, s *session, q *request, id string) any {
	switch rt {
	case routeDelete:
		return map[string]any{"session_id": id}
	case routeUsed:
		// The counts are the primary's plus the journal's for a session
		// it created; for another, only the journal's, and it says so.
		return map[string]any{"session_id": id, "contexts_used": s.contextsUsed, "skills_used": s.skillsUsed,
			"journal": viewJournal{Complete: s.known, Base: baseName(s)}}
	}
	res := map[string]any{"session_id": id, "message_count": s.count, "pending_tokens": s.pending,
		"journal": viewJournal{Complete: s.complete(), Base: baseName(s)}}
	if rt == routeBatch {
		var b message.Batch
		_ = decode(q.Body, &b, false) // checked by prepare
		res["added"] = len(b.Messages)
	}
	return res
}

// viewJournal tells a client what the journal knows of a session: whether
// its counts carry on from the primary's (complete), and from where.
type viewJournal struct {
	Complete bool   `json:"complete"`
	Base     string `json:"base,omitempty"` // baseSeen when the session started from the primary's last state
}

// baseName is the view's journal.base of s: empty unless it has a base.
func baseName(s *session) string {
	if s.based {
		return baseSeen
	}
	return ""
}

// addResource journals a validated resource request.
func (j *Journal) addResource(q *request) error {
	return j.append(&record{Kind: kindResource, Req: q}, func(*state) error { return nil }, nil)
}

// traceID is a trace id of the shape OpenViking gives: 32 hex digits.
func traceID() string { return strings.ReplaceAll(newUUID(), "-", "") }
