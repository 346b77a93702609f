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
	kindBatch    = "batch"
	kindCommit   = "commit"
	kindUsed     = "used"
	kindDelete   = "delete"
	kindResource = "resource"
	kindUpload   = "upload"
	kindBegin    = "begin"
	kindDone     = "done"
	kindChunk    = "chunk" // shared mode: a piece of an upload's body
)

// Replay outcomes, as written in done records.
const (
	outcomeApplied  = "applied"  // the primary took the op
	outcomeAlready  = "already"  // the primary already had it (a resumed replay)
	outcomeConflict = "conflict" // applied, with a conflict worth reporting
	outcomeFailed   = "failed"   // the primary refused it: the write is lost
)

// record is one framed entry of the log. One flat shape for every kind
// keeps the encoding simple; unused fields are omitted.
type record struct {
	Kind    string   `json:"kind"`
	Seq     uint64   `json:"seq,omitempty"` // ops: their sequence number
	At      int64    `json:"at,omitempty"`  // ops: acknowledgement time, Unix milliseconds
	Session string   `json:"session_id,omitempty"`
	Req     *request `json:"req,omitempty"`  // ops: the request as the client sent it
	Base    *Base    `json:"base,omitempty"` // an op's session as the primary had it; never replayed
	Op      uint64   `json:"op,omitempty"`   // begin, done: the op's seq
	Pre     *pre     `json:"pre,omitempty"`  // begin: the primary before the op
	Outcome string   `json:"outcome,omitempty"`
	Note    string   `json:"note,omitempty"`
	Next    uint64   `json:"next,omitempty"`   // header: the next seq
	Upload  string   `json:"upload,omitempty"` // upload: the temp_file_id the journal gave; done: the primary's
	Task    string   `json:"task,omitempty"`   // commit: the task id the journal gave; done: the primary's
	Origin  string   `json:"origin,omitempty"` // shared mode: names the appending replica's record, so it knows it back
	Part    int      `json:"part,omitempty"`   // chunk: its index in the upload, from 0; -1 abandons the upload
	Data    []byte   `json:"data,omitempty"`   // chunk: its bytes

	// Fields of the previous format, which kept a digest of each op
	// rather than its request. A log written by it is read by upgrade.
	Tenant  legacyTenant    `json:"tenant,omitzero"`
	Role    string          `json:"role,omitempty"`
	Content string          `json:"content,omitempty"`
	Keep    int             `json:"keep_recent_count,omitempty"`
	Body    json.RawMessage `json:"body,omitempty"`
}

// isOp tells client ops from markers.
func (r *record) isOp() bool {
	switch r.Kind {
	case kindCreate, kindMessage, kindBatch, kindCommit, kindUsed, kindDelete, kindResource, kindUpload:
		return true
	}
	return false
}

// sessionless tells ops that belong to no session: resources and their
// uploads, replayed in a lane of their own.
func (r *record) sessionless() bool { return r.Kind == kindResource || r.Kind == kindUpload }

// pre is what the primary held for a session before an op was sent: the
// replay compares it with the primary after a crash.
type pre struct {
	Count int `json:"message_count"`
}

// legacyTenant is how the previous format kept the caller.
type legacyTenant struct {
	APIKey  string `json:"api_key,omitempty"`
	Auth    string `json:"authorization,omitempty"`
	Account string `json:"account,omitempty"`
	User    string `json:"user,omitempty"`
	Agent   string `json:"agent,omitempty"`
}

// upgrade turns an op of the previous format into a request, so a journal
// written before the upgrade still replays.
func (r *record) upgrade() {
	if r.Req != nil || !r.isOp() {
		return
	}
	h := http.Header{}
	for name, v := range map[string]string{headerAPIKey: r.Tenant.APIKey, headerAuth: r.Tenant.Auth,
		headerAccount: r.Tenant.Account, headerUser: r.Tenant.User, headerAgent: r.Tenant.Agent} {
		if v != "" {
			h.Set(name, v)
		}
	}
	q := &request{Header: keptHeaders(h)}
	switch r.Kind {
	case kindCreate:
		q.Method, q.Path, q.Body = http.MethodPost, sessionsPath, mustJSON(map[string]string{"session_id": r.Session})
	case kindMessage:
		q.Method, q.Path = http.MethodPost, sessionsPrefix+r.Session+"/messages"
		q.Body = mustJSON(map[string]string{"role": r.Role, "content": r.Content})
	case kindCommit:
		q.Method, q.Path = http.MethodPost, sessionsPrefix+r.Session+"/commit"
		q.Body = mustJSON(map[string]int{"keep_recent_count": r.Keep})
	case kindDelete:
		q.Method, q.Path = http.MethodDelete, sessionsPrefix+r.Session
	case kindResource:
		q.Method, q.Path, q.Body = http.MethodPost, resourcesPath, r.Body
	}
	r.Req, r.Tenant, r.Role, r.Content, r.Keep, r.Body = q, legacyTenant{}, "", "", 0, nil
}

// mustJSON encodes maps of strings and ints, which always encode.
func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
