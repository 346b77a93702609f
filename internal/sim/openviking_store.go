package sim

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Message is one message of a session.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// SessionView is a copy of what the simulator holds for one session.
type SessionView struct {
	ID            string    `json:"session_id"`
	URI           string    `json:"uri"`
	User          string    `json:"user"`
	Messages      []Message `json:"messages"`            // held now; a commit keeps only the recent ones
	TotalMessages int       `json:"total_message_count"` // ever added, archived ones included
	Commits       int       `json:"commit_count"`
}

// PendingTokens estimates the tokens of the held messages the way
// OpenViking does: a quarter of the characters.
func (v SessionView) PendingTokens() int {
	n := 0
	for _, m := range v.Messages {
		n += len(m.Content) / 4
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

type session struct {
	id, user string
	messages []Message
	total    int
	commits  int
}

func (s *session) view() SessionView {
	return SessionView{
		ID:            s.id,
		URI:           sessionURI(s.user, s.id),
		User:          s.user,
		Messages:      append([]Message(nil), s.messages...),
		TotalMessages: s.total,
		Commits:       s.commits,
	}
}

func sessionURI(user, id string) string {
	return "viking://user/" + user + "/sessions/" + id
}

// sessionStore holds sessions (by id, owned by one user) and tasks.
type sessionStore struct {
	mu       sync.Mutex
	sessions map[string]*session
	tasks    map[string]Task
}

func newSessionStore() *sessionStore {
	return &sessionStore{sessions: map[string]*session{}, tasks: map[string]Task{}}
}

// create returns the session id of user, creating it if needed; an id owned
// by another user is refused.
func (st *sessionStore) create(user, id string) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.sessions[id]; ok {
		if s.user != user {
			return SessionView{}, newAPIError(http.StatusForbidden, "session "+id+" belongs to another user")
		}
		return s.view(), nil
	}
	s := &session{id: id, user: user}
	st.sessions[id] = s
	return s.view(), nil
}

// lookupLocked finds id for user; other users' sessions do not exist.
func (st *sessionStore) lookupLocked(user, id string) (*session, error) {
	s, ok := st.sessions[id]
	if !ok || s.user != user {
		return nil, errNotFound("Session " + id + " not found")
	}
	return s, nil
}

func (st *sessionStore) view(user, id string) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(user, id)
	if err != nil {
		return SessionView{}, err
	}
	return s.view(), nil
}

func (st *sessionStore) remove(user, id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, err := st.lookupLocked(user, id); err != nil {
		return err
	}
	delete(st.sessions, id)
	return nil
}

func (st *sessionStore) add(user, id string, m Message) (SessionView, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(user, id)
	if err != nil {
		return SessionView{}, err
	}
	s.messages = append(s.messages, m)
	s.total++
	return s.view(), nil
}

// commit archives all but the keep most recent messages and records a
// completed task. It returns the archived messages; none means skipped.
func (st *sessionStore) commit(user, id string, keep int) ([]Message, Task, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, err := st.lookupLocked(user, id)
	if err != nil || len(s.messages) <= keep {
		return nil, Task{}, err
	}
	cut := len(s.messages) - keep
	archived := append([]Message(nil), s.messages[:cut]...)
	s.messages = append([]Message(nil), s.messages[cut:]...)
	s.commits++
	t := Task{ID: newUUID(), SessionID: id, User: user, Archived: len(archived), Created: time.Now()}
	t.MemoryURI = fmt.Sprintf("viking://user/%s/memories/session-%s-%d.md", user, id, s.commits)
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

// Session returns what the simulator holds for session id, whoever owns it.
func (o *OpenViking) Session(id string) (SessionView, bool) {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	s, ok := o.store.sessions[id]
	if !ok {
		return SessionView{}, false
	}
	return s.view(), true
}

// Task returns the task recorded under id.
func (o *OpenViking) Task(id string) (Task, bool) { return o.store.task(id) }

// SessionIDs lists the ids of every session the simulator holds, sorted.
func (o *OpenViking) SessionIDs() []string {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	ids := make([]string, 0, len(o.store.sessions))
	for id := range o.store.sessions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
