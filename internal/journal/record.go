package journal

import (
	"encoding/json"
	"net/http"
)

// Record kinds. Ops are what clients asked for; begin and done mark the
// replay of one op so a crash mid-replay can resume without duplicates;
// the header carries the next sequence number across a reset.
const (
	kindHeader   = "header"
	kindCreate   = "create"
	kindMessage  = "message"
	kindCommit   = "commit"
	kindDelete   = "delete"
	kindResource = "resource"
	kindBegin    = "begin"
	kindDone     = "done"
)

// Replay outcomes, as written in done records.
const (
	outcomeApplied  = "applied"  // the primary took the op
	outcomeAlready  = "already"  // the primary already had it (a resumed replay)
	outcomeConflict = "conflict" // applied, with a conflict worth reporting
	outcomeFailed   = "failed"   // the primary refused it: the write is lost
)

// Tenant header names; the journal keeps them with every op so the replay
// acts as the same caller.
const (
	headerAPIKey  = "X-API-Key"
	headerAuth    = "Authorization"
	headerAccount = "X-OpenViking-Account"
	headerUser    = "X-OpenViking-User"
	headerAgent   = "X-OpenViking-Agent"
	defaultUser   = "default"
)

// record is one framed entry of the log. One flat shape for every kind
// keeps the encoding simple; unused fields are omitted.
type record struct {
	Kind    string          `json:"kind"`
	Seq     uint64          `json:"seq,omitempty"` // ops: their sequence number
	At      int64           `json:"at,omitempty"`  // ops: acknowledgement time, Unix milliseconds
	Tenant  tenant          `json:"tenant,omitzero"`
	Session string          `json:"session_id,omitempty"`
	Role    string          `json:"role,omitempty"`
	Content string          `json:"content,omitempty"`
	Keep    int             `json:"keep_recent_count,omitempty"`
	Base    *Base           `json:"base,omitempty"` // an op's session as the primary had it; never replayed
	Body    json.RawMessage `json:"body,omitempty"` // resource: the request body
	Op      uint64          `json:"op,omitempty"`   // begin, done: the op's seq
	Pre     *pre            `json:"pre,omitempty"`  // begin: the primary before the op
	Outcome string          `json:"outcome,omitempty"`
	Note    string          `json:"note,omitempty"`
	Next    uint64          `json:"next,omitempty"` // header: the next seq
}

// isOp tells client ops from markers.
func (r *record) isOp() bool {
	switch r.Kind {
	case kindCreate, kindMessage, kindCommit, kindDelete, kindResource:
		return true
	}
	return false
}

// pre is what the primary held for a session before an op was sent: the
// replay compares it with the primary after a crash.
type pre struct {
	Count int      `json:"message_count"`
	Last  *Message `json:"last,omitempty"`
}

// tenant is the identifying headers of a request (only those present).
type tenant struct {
	APIKey  string `json:"api_key,omitempty"`
	Auth    string `json:"authorization,omitempty"`
	Account string `json:"account,omitempty"`
	User    string `json:"user,omitempty"`
	Agent   string `json:"agent,omitempty"`
}

func tenantOf(h http.Header) tenant {
	return tenant{
		APIKey:  h.Get(headerAPIKey),
		Auth:    h.Get(headerAuth),
		Account: h.Get(headerAccount),
		User:    h.Get(headerUser),
		Agent:   h.Get(headerAgent),
	}
}

// user is the OpenViking user the tenant acts as.
func (t tenant) user() string {
	if t.User == "" {
		return defaultUser
	}
	return t.User
}

// apply sets the tenant's headers on an outgoing request.
func (t tenant) apply(h http.Header) {
	set := func(name, v string) {
		if v != "" {
			h.Set(name, v)
		}
	}
	set(headerAPIKey, t.APIKey)
	set(headerAuth, t.Auth)
	set(headerAccount, t.Account)
	set(headerUser, t.User)
	set(headerAgent, t.Agent)
}
