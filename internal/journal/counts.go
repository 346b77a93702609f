package journal

import (
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// commitRequest is what the journal reads of a commit's body: how many
// messages it keeps. Its other fields are kept in the request and
// replayed, never interpreted.
type commitRequest struct {
	KeepRecentCount int `json:"keep_recent_count"`
}

// usedRequest is UsedRequest: contexts and a skill a session used.
type usedRequest struct {
	Contexts []string       `json:"contexts"`
	Skill    map[string]any `json:"skill"`
}

// add carries the session on by messages, counting as the primary does:
// message_count grows by one a message, and pending_tokens by the tokens
// of each message pushed out of the recent-keep window.
func (s *session) add(rec *record, reqs []message.Request) {
	stamp := time.UnixMilli(rec.At).UTC().Format("2006-01-02T15:04:05.000Z")
	for i := range reqs {
		m := reqs[i].Message(messageID(rec.Seq, i), stamp)
		s.messages = append(s.messages, m)
		s.count++
		s.total++
		s.pending += s.pushedOut()
	}
}

// pushedOut is the tokens of the message that the newest one pushed out
// of the keep window: all of it when nothing is kept. A message the
// journal cannot list (it was on the primary before the outage and never
// read through the gateway) counts nothing, so pending_tokens is then a
// lower bound; journal.complete says so.
func (s *session) pushedOut() int {
	if s.keep <= 0 {
		return s.messages[len(s.messages)-1].Tokens()
	}
	out := s.count - s.keep - 1 // index, among live messages, of the one pushed out
	if out < 0 {
		return 0
	}
	if i := out - (s.count - len(s.messages)); i >= 0 {
		return s.messages[i].Tokens()
	}
	return 0
}

// commit archives all but the keep most recent messages, as OpenViking
// does, and reports whether it did; with nothing beyond keep there is
// nothing to archive.
func (s *session) commit(keep int) bool {
	s.keep = keep
	if s.count <= keep {
		return false
	}
	s.count = keep
	if len(s.messages) > keep {
		s.messages = append([]message.Message(nil), s.messages[len(s.messages)-keep:]...)
	}
	s.pending = 0
	s.commits++
	return true
}

// complete tells whether the journal knows every live message's count:
// it created the session, or took it over with the primary's state.
func (s *session) complete() bool { return s.known || s.based }

// messageID names a message the journal holds: stable across restarts,
// since it is derived from the op that carried it.
func messageID(seq uint64, i int) string {
	return "lifeboat-" + strconv.FormatUint(seq, 10) + "-" + strconv.Itoa(i)
}
