package message

// Message is a session message as the server lists it (Message.to_dict):
// the context endpoint and session archives answer with these.
type Message struct {
	ID               string   `json:"id"`
	Role             string   `json:"role"`
	Parts            []Part   `json:"parts"`
	CreatedAt        string   `json:"created_at"`
	PeerID           *string  `json:"peer_id,omitempty"`
	TurnID           *string  `json:"turn_id,omitempty"`
	MessageKind      *string  `json:"message_kind,omitempty"`
	SourceMessageIDs []string `json:"source_message_ids,omitempty"`
}

// Message is the message r adds, given its id and the time to stamp when
// r carries none.
func (r *Request) Message(id, now string) Message {
	at := now
	if r.CreatedAt != nil && *r.CreatedAt != "" {
		at = *r.CreatedAt
	}
	return Message{
		ID: id, Role: r.Role, Parts: r.ResolvedParts(), CreatedAt: at,
		PeerID: r.PeerID, TurnID: r.TurnID, MessageKind: r.MessageKind, SourceMessageIDs: r.SourceMessageIDs,
	}
}

// Text is the message's quick-access content.
func (m Message) Text() string { return Text(m.Parts) }

// Tokens is the message's estimated tokens.
func (m Message) Tokens() int { return Tokens(m.Parts) }
