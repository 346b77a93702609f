package journal

import (
	"encoding/json"
	"slices"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// Base is what the primary last reported of a session, seen in passing by
// the gateway (see Observe): the journal starts a session it did not
// create from it, so its answers carry on from the primary's counts
// instead of starting again at one message. It is kept in the log with
// the session's first op (it survives restarts) and never replayed.
type Base struct {
	MessageCount  int               `json:"message_count"`
	PendingTokens int               `json:"pending_tokens"`
	TotalMessages int               `json:"total_message_count"`
	Commits       int               `json:"commit_count"`
	Keep          int               `json:"keep_recent_count"`
	Messages      []message.Message `json:"messages,omitempty"`      // the live messages, when the primary listed them all
	MessageBytes  int               `json:"message_bytes,omitempty"` // about how much memory Messages hold
	Meta          json.RawMessage   `json:"meta,omitempty"`          // the primary's last GET answer
}

// baseSeen is the view's journal.base of a session with a base.
const baseSeen = "seen"

// adopt starts a session from the primary's state. The messages are
// copied, since the observer's store may share them.
func (s *session) adopt(b *Base) {
	s.based = true
	s.count, s.pending, s.total, s.commits, s.keep = b.MessageCount, b.PendingTokens, b.TotalMessages, b.Commits, b.Keep
	s.messages = slices.Clone(b.Messages)
	s.listed = len(b.Messages) == b.MessageCount
	s.meta = b.Meta
}

// heldBefore is how many live messages session s holds before an op
// applies and whether that count is known: s is the held session (nil:
// none) and b the base the op brings for a session not held yet.
func heldBefore(s *session, b *Base) (n int, complete bool) {
	switch {
	case s != nil:
		return s.count, s.complete()
	case b != nil:
		return b.MessageCount, true
	}
	return 0, false
}
