package journal

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The shared mode's state machine: every replica applies every record the
// log delivers, in its order, and decides alike whether an op still
// applies, so all replicas hold the same state and sequence numbers.

// append submits an op and waits until it applied. A check made now, on
// this replica's state, refuses early what would be refused anyway; the
// one that counts is admit's, in the shared order, since a record of
// another replica may come first. answer runs once rec applied.
func (r *replica) append(rec *record, answer func(*state)) error {
	probe := *rec // admit drops a base and a task; the record sent keeps them for the real check
	r.j.mu.RLock()
	err := r.admit(&probe)
	r.j.mu.RUnlock()
	if err != nil {
		return err
	}
	r.stamp(rec)
	_, err = r.submit(rec, answer)
	return err
}

// create submits a create; one the shared order finds already made is
// not applied, and reports appended false, as a local create does.
func (r *replica) create(rec *record) (appended bool, err error) {
	err = r.append(rec, nil)
	if errors.Is(err, errExists) {
		return false, nil
	}
	return err == nil, err
}

// mark submits a replay marker and waits until it applied: every replica
// then sees the op begun or retired.
func (r *replica) mark(rec *record) error {
	_, err := r.submit(rec, nil)
	return err
}

// stamp gives an op its time, and a commit a task id for when the shared
// order accepts it (admit takes it away from a skipped one). The
// sequence number is given on apply: it is the op's position.
func (r *replica) stamp(rec *record) {
	rec.At = r.j.o.Now().UnixMilli()
	if rec.Kind == kindCommit {
		rec.Task = taskPrefix + newUUID()
	}
}

// apply applies one delivered record and hands its writer, when it is
// this replica's, the outcome. A record that does not apply (refused by
// admit, or one no replica can decode) is skipped alike by every replica,
// so the follower goes on.
func (r *replica) apply(pos int64, payload []byte) error {
	rec := new(record)
	var err error
	if json.Unmarshal(payload, rec) != nil || rec.Kind == "" {
		err = fmt.Errorf("%w: shared log position %d", ErrCorrupt, pos)
	}
	r.j.mu.Lock()
	if err == nil {
		err = r.applyLocked(rec, pos)
	}
	r.applied = pos
	w := r.take(rec.Origin)
	if w != nil {
		w.rec.Seq, w.rec.Task, w.err = rec.Seq, rec.Task, err
		if err == nil && w.answer != nil {
			w.answer(&r.j.st)
		}
	}
	r.j.mu.Unlock()
	if w != nil {
		close(w.done)
	}
	if err == nil && rec.isOp() && r.j.o.OnAppend != nil {
		r.j.o.OnAppend()
	}
	return nil
}

// applyLocked changes the state by rec, delivered at pos.
func (r *replica) applyLocked(rec *record, pos int64) error {
	switch {
	case rec.Kind == kindChunk:
		r.applyChunk(rec, pos)
		return nil
	case rec.Kind == kindHeader:
		r.applyHeader(rec)
		return nil
	case rec.Kind == kindDone:
		return r.applyDone(rec, pos)
	case rec.isOp():
		if err := r.admit(rec); err != nil {
			return err
		}
		rec.Seq = uint64(pos)
		if rec.Kind == kindUpload {
			r.completeUpload(rec.Upload)
		}
	}
	return r.j.applyLocked(rec, pos)
}

// admit is the check a local append makes under its lock, made here in
// the shared order: a create of a session already held is not applied
// (errExists), a write to a session deleted meanwhile is refused as it
// would be locally, and a commit that finds nothing to archive loses its
// task. It may change rec, and depends only on rec and the state, so
// every replica decides alike.
func (r *replica) admit(rec *record) error {
	if !rec.isOp() || rec.sessionless() {
		return nil
	}
	st := &r.j.st
	if rec.Kind == kindCreate {
		if s := st.sessions[rec.Req.key(rec.Session)]; s != nil && !s.deleted {
			return errExists
		}
		return nil
	}
	if rec.Base != nil && st.sessions[rec.Req.key(rec.Session)] != nil {
		rec.Base = nil // only the first op of a session brings one
	}
	s, err := st.admits(rec)
	if err == nil && rec.Kind == kindCommit && commitSkips(s, rec) {
		rec.Task = ""
	}
	return err
}

// applyDone retires a replayed op; a replayed upload's copy is no longer
// needed.
func (r *replica) applyDone(rec *record, pos int64) error {
	o := r.j.st.find(rec.Op)
	err := r.j.applyLocked(rec, pos)
	if o != nil && o.rec.Kind == kindUpload {
		r.dropUpload(o.rec.Upload)
	}
	return err
}

// applyHeader is an idle point a Replay marked: every replica forgets
// replayed tasks and abandoned uploads by the header's time, so they all
// forget alike.
func (r *replica) applyHeader(rec *record) {
	r.j.st.forgetTasks(rec.At - taskMemory.Milliseconds())
	r.dropStale(rec.At - partialMemory.Milliseconds())
}
