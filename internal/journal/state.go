package journal

import "fmt"

// op is one client write not yet replayed. Its record never changes after
// the append but for its base, dropped once applied (the replay never
// sends it); begun is set by the replay under the Journal's lock.
type op struct {
	rec   *record
	pos   int64 // log position the op is durable at
	begun *pre  // a begin marker without its done: the replay was interrupted
}

// session is what the journal holds for one session with unreplayed ops.
type session struct {
	id, user string
	known    bool // created here: the journal holds all its messages
	based    bool // taken over with the primary's state (a Base): it holds them all too
	deleted  bool
	messages []Message // held now; a commit keeps only the recent ones
	tokens   int       // OpenViking's pending_tokens of messages
	total    int       // messages ever added here
	commits  int
	pending  int // unreplayed ops
}

// tokens estimates a message's tokens the way OpenViking does: a quarter
// of the characters.
func tokens(m Message) int { return len(m.Content) / 4 }

func sumTokens(ms []Message) int {
	n := 0
	for _, m := range ms {
		n += tokens(m)
	}
	return n
}

// counters are the lifetime numbers Stats reports.
type counters struct {
	appended, replayed, already, conflicts, failed int
}

// state is rebuilt from the log by applying every record in order; live
// appends apply the same way, so a reopen rebuilds the same state.
type state struct {
	ops      []*op // unreplayed, in sequence order
	sessions map[string]*session
	nextSeq  uint64
	n        counters
}

func newState() state {
	return state{sessions: map[string]*session{}, nextSeq: 1}
}

// apply changes the state by one record written at pos.
func (st *state) apply(rec *record, pos int64) error {
	switch rec.Kind {
	case kindHeader:
		st.nextSeq = max(st.nextSeq, rec.Next)
	case kindBegin:
		if o := st.find(rec.Op); o != nil {
			o.begun = rec.Pre
		}
	case kindDone:
		st.done(rec)
	default:
		return st.applyOp(rec, pos)
	}
	return nil
}

func (st *state) applyOp(rec *record, pos int64) error {
	if !rec.isOp() {
		return fmt.Errorf("%w: unknown kind %q", ErrCorrupt, rec.Kind)
	}
	st.nextSeq = max(st.nextSeq, rec.Seq+1)
	st.ops = append(st.ops, &op{rec: rec, pos: pos})
	st.n.appended++
	if rec.Kind == kindResource {
		return nil
	}
	s := st.hold(rec.Session, rec.Tenant.user(), rec.Base)
	rec.Base = nil // applied: only the first op of a session carries one
	s.pending++
	switch rec.Kind {
	case kindCreate:
		*s = session{id: s.id, user: rec.Tenant.user(), known: true, pending: s.pending}
	case kindMessage:
		m := Message{Role: rec.Role, Content: rec.Content}
		s.messages = append(s.messages, m)
		s.tokens += tokens(m)
		s.total++
	case kindCommit:
		s.commit(rec.Keep)
	case kindDelete:
		s.deleted, s.messages, s.tokens = true, nil, 0
	}
	return nil
}

// hold returns the session id, holding it for user as "not created here"
// when the journal did not hold it yet, starting from base when there is
// one.
func (st *state) hold(id, user string, base *Base) *session {
	s := st.sessions[id]
	if s == nil {
		s = &session{id: id, user: user}
		if base != nil {
			s.adopt(base)
		}
		st.sessions[id] = s
	}
	return s
}

// commit archives all but the keep most recent messages, as OpenViking
// does; with nothing beyond keep there is nothing to archive.
func (s *session) commit(keep int) {
	if len(s.messages) <= keep {
		return
	}
	s.messages = append([]Message(nil), s.messages[len(s.messages)-keep:]...)
	s.tokens = sumTokens(s.messages)
	s.commits++
}

// done retires a replayed op; a session whose last op is retired is no
// longer held.
func (st *state) done(rec *record) {
	i := st.index(rec.Op)
	if i < 0 {
		return
	}
	o := st.ops[i]
	st.ops = append(st.ops[:i:i], st.ops[i+1:]...)
	if len(st.ops) == 0 {
		st.ops = nil
	}
	st.count(rec.Outcome)
	if s := st.sessions[o.rec.Session]; s != nil && o.rec.Kind != kindResource {
		if s.pending--; s.pending <= 0 {
			delete(st.sessions, s.id)
		}
	}
}

func (st *state) count(outcome string) {
	switch outcome {
	case outcomeApplied:
		st.n.replayed++
	case outcomeConflict:
		st.n.replayed++
		st.n.conflicts++
	case outcomeAlready:
		st.n.already++
	case outcomeFailed:
		st.n.failed++
		st.n.conflicts++
	}
}

// index finds the op seq; replay lanes run side by side but each retires
// its oldest op, so it is near the front.
func (st *state) index(seq uint64) int {
	for i, o := range st.ops {
		if o.rec.Seq == seq {
			return i
		}
	}
	return -1
}

func (st *state) find(seq uint64) *op {
	if i := st.index(seq); i >= 0 {
		return st.ops[i]
	}
	return nil
}

// visible returns the session id as user may see it: another user's
// session and a deleted one do not exist. Not held is (nil, nil).
func (st *state) visible(user, id string) (*session, error) {
	s := st.sessions[id]
	if s == nil {
		return nil, nil
	}
	if s.user != user || s.deleted {
		return nil, notFound(id)
	}
	return s, nil
}
