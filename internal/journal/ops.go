package journal

// The journal's own answers, shaped like OpenViking's results.
type createResult struct {
	SessionID string `json:"session_id"`
	URI       string `json:"uri"`
	User      string `json:"user"`
}

type messageResult struct {
	SessionID     string `json:"session_id"`
	MessageCount  int    `json:"message_count"`
	PendingTokens int    `json:"pending_tokens"`
}

type commitResult struct {
	SessionID string `json:"session_id"`
	Status    string `json:"status"`
	TaskID    string `json:"task_id,omitempty"`
	Archived  bool   `json:"archived"`
}

type deleteResult struct {
	SessionID string `json:"session_id"`
}

// write appends rec when check passes and lets answer read the new state
// under the same lock; then it waits for the fsync. Nothing is appended
// when check fails, and the caller acknowledges only on a nil error.
// rec's base is dropped when the session became held meanwhile (a
// concurrent write took it first), before check sees rec.
func (j *Journal) write(rec *record, check func(*state) error, answer func(*state)) error {
	j.mu.Lock()
	if rec.Base != nil && j.st.sessions[rec.Session] != nil {
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

// create journals a new session; an empty id gets a new UUID. A session
// the journal already holds for the same user is returned as is, with
// nothing appended (appended reports which), as OpenViking's create is
// idempotent.
func (j *Journal) create(t tenant, id string) (res createResult, appended bool, err error) {
	if id == "" {
		id = newUUID()
	} else if !validID(id) {
		return res, false, invalid("invalid session_id")
	}
	user := t.user()
	res = createResult{SessionID: id, URI: sessionURI(user, id), User: user}
	j.mu.Lock()
	if s := j.st.sessions[id]; s != nil && !s.deleted {
		owner := s.user
		j.mu.Unlock()
		if owner != user {
			return res, false, forbidden(id)
		}
		return res, false, nil
	}
	pos, err := j.appendLocked(&record{Kind: kindCreate, Session: id, Tenant: t})
	j.mu.Unlock()
	if err == nil {
		err = j.durable(pos)
	}
	return res, err == nil, err
}

// addMessage journals a message. A session the journal does not hold may
// exist on the primary, so it is accepted and held from now on, starting
// from base when the owner gave one (nil: none).
func (j *Journal) addMessage(t tenant, id string, m Message, base *Base) (res messageResult, err error) {
	if !validID(id) {
		return res, invalid("invalid session_id")
	}
	if m.Role == "" {
		return res, invalid("role and content are required")
	}
	rec := &record{Kind: kindMessage, Session: id, Tenant: t, Role: m.Role, Content: m.Content, Base: base}
	err = j.write(rec, visibleTo(t.user(), id), func(st *state) {
		s := st.sessions[id]
		res = messageResult{SessionID: id, MessageCount: len(s.messages), PendingTokens: s.tokens}
	})
	return res, err
}

// visibleTo is the check of writes to an existing session: another user's
// or a deleted session is not found; one not held may be on the primary.
func visibleTo(user, id string) func(*state) error {
	return func(st *state) error {
		_, err := st.visible(user, id)
		return err
	}
}

// commit journals a commit. It is "skipped" only when the journal holds
// every message of the session (it created it, or has its base) and so
// knows there is nothing beyond keep; it is journaled anyway, because the
// primary may hold messages the journal never saw.
func (j *Journal) commit(t tenant, id string, keep int, base *Base) (res commitResult, err error) {
	if !validID(id) {
		return res, invalid("invalid session_id")
	}
	if keep < 0 {
		return res, invalid("keep_recent_count must not be negative")
	}
	res = commitResult{SessionID: id, Status: "accepted", TaskID: "lifeboat-" + newUUID(), Archived: true}
	rec := &record{Kind: kindCommit, Session: id, Tenant: t, Keep: keep, Base: base}
	err = j.write(rec, func(st *state) error {
		s, err := st.visible(t.user(), id)
		if n, complete := heldBefore(s, rec.Base); err == nil && complete && n <= keep {
			res = commitResult{SessionID: id, Status: "skipped"}
		}
		return err
	}, nil)
	return res, err
}

// remove journals a delete. A session not held may be on the primary;
// base is as for addMessage.
func (j *Journal) remove(t tenant, id string, base *Base) (deleteResult, error) {
	if !validID(id) {
		return deleteResult{}, invalid("invalid session_id")
	}
	rec := &record{Kind: kindDelete, Session: id, Tenant: t, Base: base}
	return deleteResult{SessionID: id}, j.write(rec, visibleTo(t.user(), id), nil)
}

// addResource journals a validated resource request body.
func (j *Journal) addResource(t tenant, body []byte) error {
	rec := &record{Kind: kindResource, Tenant: t, Body: body}
	return j.write(rec, func(*state) error { return nil }, nil)
}

// sessionView is GET /api/v1/sessions/{id} for a held session; journal
// tells whether the journal holds every message (it created the session,
// or took it over with a base) and where a base came from.
type sessionView struct {
	SessionID     string      `json:"session_id"`
	URI           string      `json:"uri"`
	User          string      `json:"user"`
	Messages      []Message   `json:"messages"`
	MessageCount  int         `json:"message_count"`
	PendingTokens int         `json:"pending_tokens"`
	Total         int         `json:"total_message_count"`
	Commits       int         `json:"commit_count"`
	Journal       viewJournal `json:"journal"`
}

type viewJournal struct {
	Complete bool   `json:"complete"`
	Base     string `json:"base,omitempty"` // baseOutageCopy when the session started from a base
}

// view answers a read of a held session; one not held is only known to
// the primary.
func (j *Journal) view(t tenant, id string) (sessionView, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	s, err := j.st.visible(t.user(), id)
	if err != nil {
		return sessionView{}, err
	}
	if s == nil {
		return sessionView{}, onPrimary(id)
	}
	return sessionView{
		SessionID: id, URI: sessionURI(s.user, id), User: s.user,
		Messages: append([]Message{}, s.messages...), MessageCount: len(s.messages),
		PendingTokens: s.tokens, Total: s.total, Commits: s.commits,
		Journal: viewJournal{Complete: s.complete(), Base: baseName(s)},
	}, nil
}

// baseName is the view's journal.base of s: empty unless it has a base.
func baseName(s *session) string {
	if s.based {
		return baseOutageCopy
	}
	return ""
}
