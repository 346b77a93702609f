package sim

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// Message is one session message as the server lists it.
type Message = message.Message

// SessionView is a copy of what the simulator holds for one session.
type SessionView struct {
	ID            string
	URI           string
	User          string
	Account       string
	Messages      []Message // held now; a commit keeps only the recent ones
	TotalMessages int       // ever added, archived ones included
	Commits       int
	Keep          int // keep_recent_count of the last commit
	Created       time.Time
	Updated       time.Time
	LastMessageAt time.Time
	LastCommitAt  time.Time
	MemoryPolicy  map[string]any
	AutoCommit    map[string]any
	Extraction    map[string]any
	ContextsUsed  int
	SkillsUsed    int
}

// PendingTokens is OpenViking's pending_tokens: the estimated tokens of
// the held messages outside the recent-keep window, which the next commit
// archives (Session._rebuild_pending_tokens).
func (v SessionView) PendingTokens() int {
	n := 0
	for _, m := range v.Messages[:max(0, len(v.Messages)-v.Keep)] {
		n += m.Tokens()
	}
	return n
}

// Task is a background task, as recorded by a session commit.
type Task struct {
	ID        string
	SessionID string
	User      string
	Archived  int    // messages archived by the commit
	MemoryURI string // the memory document the commit extracted
	Created   time.Time
}

// owner is the tenant a session belongs to. Each tenant has its own
// session space: two tenants' sessions of the same id are different
// sessions, as the server keeps them under each user's URI.
type owner struct{ account, user string }

type sessionKey struct {
	owner
	id string
}

type session struct {
	SessionView
	owner owner
}

func (s *session) view() SessionView {
	v := s.SessionView
	v.Messages = slices.Clone(s.Messages)
	return v
}

func sessionURI(user, id string) string {
	return "viking://user/" + user + "/sessions/" + id
}

// sessionStore holds sessions (by id, owned by one tenant) and tasks.
type sessionStore struct {
	mu       sync.Mutex
	sessions map[sessionKey]*session
	tasks    map[string]Task
	now      func() time.Time
}

func newSessionStore() *sessionStore {
	return &sessionStore{sessions: map[sessionKey]*session{}, tasks: map[string]Task{}, now: time.Now}
}

// createLocked makes a new session of o.
func (st *sessionStore) createLocked(o owner, id string) *session {
	now := st.now()
	s := &session{owner: o, SessionView: SessionView{ID: id, URI: sessionURI(o.user, id), User: o.user,
		Account: o.account, Created: now, Updated: now}}
	st.sessions[sessionKey{o, id}] = s
	return s
}

// create returns session id of o, creating it if needed, with the
// policies given (nil leaves them as they are).
func (st *sessionStore) create(o owner, id string, pol policies) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.sessions[sessionKey{o, id}]
	if !ok {
		s = st.createLocked(o, id)
	}
	pol.apply(s)
	return s.view(), nil
}

// lookupLocked finds id for o, creating it when autoCreate is set.
func (st *sessionStore) lookupLocked(o owner, id string, autoCreate bool) (*session, error) {
	s, ok := st.sessions[sessionKey{o, id}]
	switch {
	case ok:
		return s, nil
	case !ok && autoCreate:
		return st.createLocked(o, id), nil
	}
	return nil, errNotFound("Session " + id + " not found")
}

func (st *sessionStore) view(o owner, id string, autoCreate bool) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(o, id, autoCreate)
	if err != nil {
		return SessionView{}, err
	}
	return s.view(), nil
}

// list returns o's sessions, newest change first, as the server lists
// its session directory by mtime.
func (st *sessionStore) list(o owner) []SessionView {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []SessionView
	for k, s := range st.sessions {
		if k.owner == o {
			out = append(out, s.view())
		}
	}
	slices.SortFunc(out, func(a, b SessionView) int { return b.Updated.Compare(a.Updated) })
	return out
}

func (st *sessionStore) remove(o owner, id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, err := st.lookupLocked(o, id, false); err != nil {
		return err
	}
	delete(st.sessions, sessionKey{o, id})
	return nil
}

// add appends messages, creating the session on first add as the server
// does.
func (st *sessionStore) add(o owner, id string, reqs []message.Request) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(o, id, true)
	if err != nil {
		return SessionView{}, err
	}
	now := st.now()
	stamp := now.UTC().Format(time.RFC3339Nano)
	for i := range reqs {
		s.Messages = append(s.Messages, reqs[i].Message("msg_"+newUUID(), stamp))
	}
	s.TotalMessages += len(reqs)
	s.Updated, s.LastMessageAt = now, now
	return s.view(), nil
}

// used counts contexts and skills a session reports it used.
func (st *sessionStore) used(o owner, id string, contexts int, skill bool) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(o, id, false)
	if err != nil {
		return SessionView{}, err
	}
	s.ContextsUsed += contexts
	if skill {
		s.SkillsUsed++
	}
	return s.view(), nil
}

// commit archives all but the keep most recent messages and records a
// completed task. It returns the archived messages; none means skipped.
func (st *sessionStore) commit(o owner, id string, keep int) ([]Message, Task, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(o, id, false)
	if err != nil {
		return nil, Task{}, err
	}
	s.Keep = keep
	if len(s.Messages) <= keep {
		return nil, Task{}, nil
	}
	cut := len(s.Messages) - keep
	archived := slices.Clone(s.Messages[:cut])
	s.Messages = slices.Clone(s.Messages[cut:])
	s.Commits++
	now := st.now()
	s.Updated, s.LastCommitAt = now, now
	t := Task{ID: newUUID(), SessionID: id, User: o.user, Archived: len(archived), Created: now}
	t.MemoryURI = fmt.Sprintf("viking://user/%s/memories/session-%s-%d.md", o.user, id, s.Commits)
	st.tasks[t.ID] = t
	return archived, t, nil
}

func (st *sessionStore) task(id string) (Task, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, ok := st.tasks[id]
	return t, ok
}

func (st *sessionStore) sizes() (sessions, tasks int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.sessions), len(st.tasks)
}

// Session returns what the simulator holds for session id, whoever owns
// it (the first found when several tenants have one of that id).
func (o *OpenViking) Session(id string) (SessionView, bool) {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	for k, s := range o.store.sessions {
		if k.id == id {
			return s.view(), true
		}
	}
	return SessionView{}, false
}

// Task returns the task recorded under id.
func (o *OpenViking) Task(id string) (Task, bool) { return o.store.task(id) }

// SessionIDs lists the ids of every session the simulator holds, sorted.
func (o *OpenViking) SessionIDs() []string {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	ids := make([]string, 0, len(o.store.sessions))
	for k := range o.store.sessions {
		ids = append(ids, k.id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Document returns the document the simulator holds at uri: a seeded one,
// a resource added, or a committed memory.
func (o *OpenViking) Document(uri string) (Document, bool) { return o.index.get(uri) }
