package journal

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// op is one client write not yet replayed. Its record never changes after
// the append but for its base, dropped once applied (the replay never
// sends it); begun is set by the replay under the Journal's lock.
type op struct {
	rec   *record
	pos   int64 // log position the op is durable at
	begun *pre  // a begin marker without its done: the replay was interrupted
}

// session is what the journal holds for one session with unreplayed ops:
// the primary's last known state (its base) carried on by the journal's
// own writes, as the primary would have counted them.
type session struct {
	id, tenant, user string
	known            bool // created here: the journal knows all of it
	based            bool // taken over with the primary's last known state
	deleted          bool
	messages         []message.Message // the live messages the journal can list
	listed           bool              // messages lists every live message
	count            int               // live messages: OpenViking's message_count
	pending          int               // OpenViking's pending_tokens
	keep             int               // keep_recent_count of the last commit
	total            int               // messages ever added
	commits          int
	meta             []byte // the primary's last GET answer, for reads
	created, updated int64  // Unix milliseconds of the create op and the last change
	lastMessage      int64
	lastCommit       int64
	policies         []byte // the create op's body, for its policies
	contextsUsed     int    // contexts and skills reported used through the journal
	skillsUsed       int
	ops              int // unreplayed ops
}

// counters are the lifetime numbers Stats reports.
type counters struct {
	appended, replayed, already, conflicts, failed int
}

// state is rebuilt from the log by applying every record in order; live
// appends apply the same way, so a reopen rebuilds the same state.
type state struct {
	ops      []*op // unreplayed, in sequence order
	sessions map[sessionKey]*session
	ids      map[string]int    // how many tenants hold each session id
	uploads  map[string]string // the journal's temp_file_ids replayed: the primary's id for each
	kept     map[string]string // the journal's temp_file_ids not replayed yet: each body's Content-Type
	tasks    map[string]*task  // the journal's commit task ids
	nextSeq  uint64
	n        counters
}

func newState() state {
	return state{sessions: map[sessionKey]*session{}, ids: map[string]int{}, uploads: map[string]string{}, kept: map[string]string{}, tasks: map[string]*task{}, nextSeq: 1}
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
	rec.upgrade()
	st.nextSeq = max(st.nextSeq, rec.Seq+1)
	st.ops = append(st.ops, &op{rec: rec, pos: pos})
	st.n.appended++
	if rec.Kind == kindUpload {
		st.kept[rec.Upload] = rec.Req.Header[headerType]
	}
	if rec.sessionless() {
		return nil
	}
	s := st.hold(rec)
	rec.Base = nil // applied: only the first op of a session carries one
	if rec.Task != "" {
		st.tasks[rec.Task] = &task{session: rec.Session, key: rec.Req.key(rec.Session), at: rec.At}
	}
	s.ops++
	return s.applyOp(rec)
}

// applyOp carries the session on by one of its ops. Bodies were checked
// before the append, so decoding them again cannot fail but on a log
// damaged in a way its checksums missed.
func (s *session) applyOp(rec *record) error {
	if s.deleted && (rec.Kind == kindMessage || rec.Kind == kindBatch) {
		s.recreate(rec.At, nil) // the primary creates a session on its first message
	}
	switch rec.Kind {
	case kindCreate:
		s.recreate(rec.At, rec.Req.Body)
	case kindMessage, kindBatch:
		reqs, err := messagesOf(rec)
		if err != nil {
			return err
		}
		s.add(rec, reqs)
		s.lastMessage = rec.At
	case kindCommit:
		var c commitRequest
		if err := decode(rec.Req.Body, &c, true); err != nil {
			return fmt.Errorf("%w: op %d: %v", ErrCorrupt, rec.Seq, err)
		}
		if s.commit(c.KeepRecentCount) {
			s.lastCommit = rec.At
		}
	case kindUsed:
		var u usedRequest
		if err := decode(rec.Req.Body, &u, false); err != nil {
			return fmt.Errorf("%w: op %d: %v", ErrCorrupt, rec.Seq, err)
		}
		s.contextsUsed += len(u.Contexts)
		if u.Skill != nil {
			s.skillsUsed++
		}
	case kindDelete:
		s.deleted, s.messages, s.count, s.pending = true, nil, 0, 0
	}
	s.updated = rec.At
	return nil
}

// recreate starts s again as a new session the journal created at ms,
// with the policies of body.
func (s *session) recreate(ms int64, body []byte) {
	*s = session{id: s.id, tenant: s.tenant, user: s.user, known: true, listed: true, ops: s.ops,
		created: ms, policies: body}
}

// messagesOf decodes the messages a message or batch op adds.
func messagesOf(rec *record) ([]message.Request, error) {
	if rec.Kind == kindBatch {
		var b message.Batch
		if err := decode(rec.Req.Body, &b, false); err != nil {
			return nil, fmt.Errorf("%w: op %d: %v", ErrCorrupt, rec.Seq, err)
		}
		return b.Messages, nil
	}
	var m message.Request
	if err := decode(rec.Req.Body, &m, false); err != nil {
		return nil, fmt.Errorf("%w: op %d: %v", ErrCorrupt, rec.Seq, err)
	}
	return []message.Request{m}, nil
}

// hold returns the op's session, holding it for the op's tenant when the
// journal did not hold it yet, starting from the op's base when there is
// one.
func (st *state) hold(rec *record) *session {
	k := rec.Req.key(rec.Session)
	s := st.sessions[k]
	if s == nil {
		s = &session{id: rec.Session, tenant: rec.Req.tenant(), user: rec.Req.user()}
		if rec.Base != nil {
			s.adopt(rec.Base)
		}
		st.sessions[k] = s
		st.ids[rec.Session]++
	}
	return s
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
	if o.rec.Kind == kindUpload {
		delete(st.kept, o.rec.Upload)
		if rec.Upload != "" {
			st.uploads[o.rec.Upload] = rec.Upload
		}
	}
	if t := st.tasks[o.rec.Task]; t != nil {
		t.replayed, t.primary = true, rec.Task
	}
	if o.rec.sessionless() {
		return
	}
	k := o.rec.Req.key(o.rec.Session)
	if s := st.sessions[k]; s != nil {
		if s.ops--; s.ops <= 0 {
			delete(st.sessions, k)
			if st.ids[s.id]--; st.ids[s.id] <= 0 {
				delete(st.ids, s.id)
			}
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

// visible returns the held session k: a deleted one does not exist. Not
// held is (nil, nil).
func (st *state) visible(k sessionKey) (*session, error) {
	s := st.sessions[k]
	if s == nil {
		return nil, nil
	}
	if s.deleted {
		return nil, notFound(k.id)
	}
	return s, nil
}
