package journal

import (
	"encoding/json"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// The journal takes requests; these helpers let unit tests call it the
// way a client would, without an HTTP round trip.

// tenant is a caller's identifying headers.
type tenant struct{ APIKey, Auth, Account, User, Agent, Peer string }

func (tn tenant) header() map[string]string {
	var h map[string]string
	for name, v := range map[string]string{headerAPIKey: tn.APIKey, headerAuth: tn.Auth, headerAccount: tn.Account,
		headerUser: tn.User, headerAgent: tn.Agent, headerActorPeer: tn.Peer} {
		if v != "" {
			if h == nil {
				h = map[string]string{}
			}
			h[name] = v
		}
	}
	return h
}

// Message is a plain text message, the shape most tests need.
type Message struct{ Role, Content string }

func (m Message) body() json.RawMessage {
	return mustJSON(map[string]string{"role": m.Role, "content": m.Content})
}

func (tn tenant) req(method, path string, body json.RawMessage) *request {
	return &request{Method: method, Path: path, Header: tn.header(), Body: body}
}

// seed makes the journal's observer remember base for session id.
func (j *Journal) seed(tn tenant, id string, base *Base) {
	if base == nil {
		return
	}
	q := tn.req(http.MethodGet, "", nil)
	j.seen.update(q.tenant(), id, func(b *Base) bool { *b = *base; return true })
}

type messageResult struct {
	SessionID     string `json:"session_id"`
	MessageCount  int    `json:"message_count"`
	PendingTokens int    `json:"pending_tokens"`
}

type commitResult struct {
	Status   string  `json:"status"`
	TaskID   *string `json:"task_id"`
	Archived bool    `json:"archived"`
}

type viewResult struct {
	SessionID     string      `json:"session_id"`
	MessageCount  int         `json:"message_count"`
	PendingTokens int         `json:"pending_tokens"`
	Total         int         `json:"total_message_count"`
	Commits       int         `json:"commit_count"`
	Journal       viewJournal `json:"journal"`
	User          string
	Messages      []message.Message
}

// recode moves a map answer into a typed one.
func recode[T any](v any, err error) (T, error) {
	var out T
	if err != nil {
		return out, err
	}
	_ = json.Unmarshal(mustJSON(v), &out)
	return out, nil
}

func (j *Journal) addMessage(tn tenant, id string, m Message, base *Base) (messageResult, error) {
	j.seed(tn, id, base)
	return recode[messageResult](j.write(routeMessage, tn.req(http.MethodPost, sessionsPrefix+id+"/messages", m.body()), id))
}

func (j *Journal) commitKeep(tn tenant, id string, keep int, base *Base) (commitResult, error) {
	j.seed(tn, id, base)
	body := mustJSON(map[string]int{"keep_recent_count": keep})
	return recode[commitResult](j.write(routeCommit, tn.req(http.MethodPost, sessionsPrefix+id+"/commit", body), id))
}

func (j *Journal) remove(tn tenant, id string, base *Base) (any, error) {
	j.seed(tn, id, base)
	return j.write(routeDelete, tn.req(http.MethodDelete, sessionsPrefix+id, nil), id)
}

func (j *Journal) createAs(tn tenant, id string) (map[string]any, bool, error) {
	return j.create(tn.req(http.MethodPost, sessionsPath, mustJSON(map[string]string{"session_id": id})))
}

func (j *Journal) addResourceAs(tn tenant, body string) error {
	return j.addResource(tn.req(http.MethodPost, resourcesPath, json.RawMessage(body)))
}

// viewAs reads a held session and the messages its context lists.
func (j *Journal) viewAs(tn tenant, id string) (viewResult, error) {
	q := tn.req(http.MethodGet, sessionsPrefix+id, nil)
	v, err := recode[viewResult](j.view(q, id))
	if err != nil {
		return v, err
	}
	c, err := j.context(q, id)
	if err == nil {
		v.Messages, _ = c["messages"].([]message.Message)
	}
	v.User = q.user()
	return v, err
}

// texts lists the content of messages.
func texts(ms []message.Message) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Text())
	}
	return out
}
