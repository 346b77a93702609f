package journal

import "net/http"

// Message is one session message, as OpenViking lists it.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Base is what the primary held for a session before the outage: the
// owner hands it over (Options.Base) when the journal first takes a write
// for a session it did not create, so the journal's answers continue the
// session instead of starting it again at one message. Its JSON names are
// those of OpenViking's GET /api/v1/sessions/{id} result, so that answer
// decodes into a Base as is.
type Base struct {
	Messages      []Message `json:"messages"`            // held on the primary, oldest first
	TotalMessages int       `json:"total_message_count"` // ever added, archived ones included
	Commits       int       `json:"commit_count"`
}

// baseOutageCopy is the view's journal.base of a session with a base:
// the only base the gateway has is its copy of the primary's last answer.
const baseOutageCopy = "outage-copy"

// baseFor asks the owner for session id's base when a write arrives for a
// session the journal does not hold. It runs outside the journal's lock,
// since the owner may look it up in a cache; nil means no base. A session
// already held needs none: its first op brought its base, or it had none.
func (j *Journal) baseFor(r *http.Request, id string) *Base {
	if j.o.Base == nil || !validID(id) || j.Holds(id) {
		return nil
	}
	b, ok := j.o.Base(r, id)
	if !ok {
		return nil
	}
	return &b
}

// adopt starts a session from the primary's state. The messages are
// copied, since the owner's cache may share them.
func (s *session) adopt(b *Base) {
	s.based = true
	s.messages = append([]Message(nil), b.Messages...)
	s.tokens = sumTokens(s.messages)
	s.total = max(b.TotalMessages, len(b.Messages))
	s.commits = b.Commits
}

// complete tells whether the journal holds every message of s: it
// created s, or took it over with the primary's state.
func (s *session) complete() bool { return s.known || s.based }

// heldBefore is how many messages session id holds before an op applies
// and whether that is all of them: s is the held session (nil: none) and
// b the base the op brings for a session not held yet.
func heldBefore(s *session, b *Base) (n int, complete bool) {
	switch {
	case s != nil:
		return len(s.messages), s.complete()
	case b != nil:
		return len(b.Messages), true
	}
	return 0, false
}
