package message

import (
	"encoding/json"
	"errors"
	"fmt"
)

// MaxBatch is the most messages one messages/batch request may carry
// (BatchAddMessageRequest.messages, max_length=100).
const MaxBatch = 100

// ErrInvalid is the class of every validation error: OpenViking answers
// them with 400 INVALID_ARGUMENT.
var ErrInvalid = errors.New("invalid message")

// Kinds a message may declare (AddMessageRequest.message_kind).
var kinds = map[string]bool{"user_query": true, "assistant_step": true, "tool_transport": true, "checkpoint": true}

// Request is one message as a client sends it. Pointers tell an absent
// field from an empty one, because the server treats them differently
// (content "" is a message, no content and no parts is an error). Fields
// the server ignores are ignored here too: pydantic's default.
type Request struct {
	Role             string   `json:"role"`
	PeerID           *string  `json:"peer_id,omitempty"`
	Content          *string  `json:"content,omitempty"`
	Parts            []Part   `json:"parts,omitempty"`
	CreatedAt        *string  `json:"created_at,omitempty"`
	TurnID           *string  `json:"turn_id,omitempty"`
	MessageKind      *string  `json:"message_kind,omitempty"`
	SourceMessageIDs []string `json:"source_message_ids,omitempty"`
}

// Batch is the body of POST /api/v1/sessions/{id}/messages/batch.
type Batch struct {
	Messages []Request `json:"messages"`
}

// Validate applies the server's checks: a role, and content or parts;
// a known message kind; parts of a known type.
func (r *Request) Validate() error {
	if r.Role == "" {
		return fmt.Errorf("%w: role is required", ErrInvalid)
	}
	if r.Content == nil && r.Parts == nil {
		return fmt.Errorf("%w: Either 'content' or 'parts' must be provided", ErrInvalid)
	}
	if r.MessageKind != nil && !kinds[*r.MessageKind] {
		return fmt.Errorf("%w: message_kind must be one of user_query, assistant_step, tool_transport, checkpoint", ErrInvalid)
	}
	for i, p := range r.Parts {
		if err := p.validate(); err != nil {
			return fmt.Errorf("%w: parts[%d]: %v", ErrInvalid, i, err)
		}
	}
	return nil
}

// ResolvedParts are the parts the server stores: parts when given (they
// take precedence), else one text part holding content.
func (r *Request) ResolvedParts() []Part {
	if r.Parts != nil {
		return r.Parts
	}
	text := ""
	if r.Content != nil {
		text = *r.Content
	}
	return []Part{{"type": "text", "text": text}}
}

// Validate checks a batch: at least one message and at most MaxBatch,
// each valid.
func (b *Batch) Validate() error {
	if b.Messages == nil {
		return fmt.Errorf("%w: messages is required", ErrInvalid)
	}
	if len(b.Messages) > MaxBatch {
		return fmt.Errorf("%w: messages may hold at most %d items, got %d", ErrInvalid, MaxBatch, len(b.Messages))
	}
	for i := range b.Messages {
		if err := b.Messages[i].Validate(); err != nil {
			return fmt.Errorf("messages[%d]: %w", i, err)
		}
	}
	return nil
}

// Stamp sets created_at to at in a raw message body that lacks one, so a
// message keeps the time its client sent it when it is replayed later.
// Every other field is kept as sent.
func Stamp(body json.RawMessage, at string) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if v, ok := fields["created_at"]; ok && string(v) != "null" {
		return body, nil
	}
	fields["created_at"], _ = json.Marshal(at) // a string always encodes
	return json.Marshal(fields)
}

// StampBatch stamps every message of a raw batch body.
func StampBatch(body json.RawMessage, at string) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var msgs []json.RawMessage
	if err := json.Unmarshal(fields["messages"], &msgs); err != nil {
		return nil, fmt.Errorf("%w: messages: %v", ErrInvalid, err)
	}
	for i, m := range msgs {
		s, err := Stamp(m, at)
		if err != nil {
			return nil, err
		}
		msgs[i] = s
	}
	fields["messages"], _ = json.Marshal(msgs) // raw messages always encode
	return json.Marshal(fields)
}
