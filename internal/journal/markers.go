package journal

// The journal's side of a replay: which op is next, and the begin and
// done markers that make a replay resumable after a crash.

import (
	"cmp"
	"slices"
)

// head returns the first pending op, or nil; a journal that can no longer
// write markers cannot replay.
func (j *Journal) head() (*op, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if len(j.st.ops) == 0 {
		return nil, nil
	}
	if err := j.writableLocked(); err != nil {
		return nil, err
	}
	return j.st.ops[0], nil
}

// pendingAfter returns the pending ops with a sequence number above seq,
// in sequence order; pending ops are kept in that order. Like head, it
// refuses a journal that can no longer write markers.
func (j *Journal) pendingAfter(seq uint64) ([]*op, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	ops := j.st.ops
	i, _ := slices.BinarySearchFunc(ops, seq+1, func(o *op, s uint64) int { return cmp.Compare(o.rec.Seq, s) })
	if i == len(ops) {
		return nil, nil
	}
	if err := j.writableLocked(); err != nil {
		return nil, err
	}
	return slices.Clone(ops[i:]), nil
}

// begin durably records what the primary held before o is sent, so a
// replay resumed after a crash can tell whether o reached the primary.
func (j *Journal) begin(o *op, p pre) error {
	rec := &record{Kind: kindBegin, Op: o.rec.Seq, Pre: &p}
	if j.sh != nil {
		return j.sh.mark(rec)
	}
	j.mu.Lock()
	pos, err := j.appendLocked(rec)
	j.mu.Unlock()
	if err != nil {
		return err
	}
	return j.log.wait(pos)
}

// finish records o's outcome and retires it. When o is its session's last
// pending op the session stops being held, and from then on its requests
// go to the primary directly; so the done marker is made durable first,
// lest a crash replay o again after newer writes reached the primary.
// Other done markers become durable with the next begin or the final reset.
func (j *Journal) finish(o *op, res result) error {
	rec := &record{Kind: kindDone, Op: o.rec.Seq, Outcome: res.outcome, Note: res.note(), Upload: res.upload, Task: res.task}
	if j.sh != nil {
		return j.sh.mark(rec) // applied only once committed, so every replica unpins together
	}
	j.mu.Lock()
	last := j.lastOfSessionLocked(o)
	pos, err := j.writeLocked(rec)
	if err == nil && !last {
		err = j.applyLocked(rec, pos)
	}
	j.mu.Unlock()
	if err != nil || !last {
		return err
	}
	if err := j.log.wait(pos); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.applyLocked(rec, pos)
}

func (j *Journal) lastOfSessionLocked(o *op) bool {
	if o.rec.sessionless() {
		return false
	}
	s := j.st.sessions[o.rec.Req.key(o.rec.Session)]
	return s != nil && s.pending == 1
}

// resetIfIdle empties the log when nothing is pending, so the file does
// not grow forever; the header keeps sequence numbers increasing. It
// reports whether nothing was pending. A closed or broken journal holding
// nothing has nothing to lose, so it is idle without a reset.
func (j *Journal) resetIfIdle() (bool, error) {
	if j.sh != nil {
		return j.sh.trimIfIdle()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.st.ops) > 0 {
		return false, nil
	}
	if j.writableLocked() != nil {
		return true, nil
	}
	if err := j.log.reset(&record{Kind: kindHeader, Next: j.st.nextSeq}); err != nil {
		return true, err
	}
	j.removeUploads()
	j.st.forgetTasks(j.o.Now().Add(-taskMemory).UnixMilli())
	return true, nil
}
