package journal

import (
	"net/http"
	"strings"
)

// Routes the journal answers itself.
const (
	sessionsPath   = "/api/v1/sessions"
	sessionsPrefix = sessionsPath + "/"
	resourcesPath  = "/api/v1/resources"
)

// Values of the X-Lifeboat-Journal header on the journal's answers.
const (
	headerJournal = "X-Lifeboat-Journal"
	markAppended  = "appended" // the request was written to the journal
	markHeld      = "held"     // answered from the journal's state, nothing written
)

type route int

const (
	routeNone route = iota
	routeCreate
	routeGet
	routeDelete
	routeMessage
	routeCommit
	routeResource
)

// routeOf names the journal route of a request and its session id.
func routeOf(method, path string) (route, string) {
	switch path {
	case sessionsPath:
		return pick(method == http.MethodPost, routeCreate), ""
	case resourcesPath:
		return pick(method == http.MethodPost, routeResource), ""
	}
	rest, ok := strings.CutPrefix(path, sessionsPrefix)
	if !ok {
		return routeNone, ""
	}
	id, sub, nested := strings.Cut(rest, "/")
	switch {
	case id == "":
		return routeNone, ""
	case !nested && method == http.MethodGet:
		return routeGet, id
	case !nested && method == http.MethodDelete:
		return routeDelete, id
	case sub == "messages" && method == http.MethodPost:
		return routeMessage, id
	case sub == "commit" && method == http.MethodPost:
		return routeCommit, id
	}
	return routeNone, ""
}

func pick(ok bool, r route) route {
	if ok {
		return r
	}
	return routeNone
}

// Transport answers OpenViking's session writes and reads of held sessions
// from the journal, in OpenViking's envelope, acknowledging writes only
// after their fsync. Resource additions are journaled and also passed on
// to next. Every other request goes to next unchanged.
func (j *Journal) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{j: j, next: next}
}

type transport struct {
	j    *Journal
	next http.RoundTripper
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt, id := routeOf(r.Method, r.URL.Path)
	if rt == routeNone {
		return t.next.RoundTrip(r)
	}
	a := newAnswer(t.j, r)
	body, err := readBody(r)
	switch {
	case err != nil:
		a.fail(err)
	case rt == routeResource:
		return t.resource(a, body)
	default:
		t.session(a, rt, id, body)
	}
	return a.response(), nil
}

// session serves one session route into a.
func (t *transport) session(a *answer, rt route, id string, body []byte) {
	ten := tenantOf(a.req.Header)
	if ten.User != "" && !validID(ten.User) {
		a.fail(invalid("invalid " + headerUser + " header"))
		return
	}
	switch rt {
	case routeCreate:
		t.create(a, ten, body)
	case routeGet:
		a.done(t.j.view(ten, id))
		a.mark = markHeld
	case routeDelete:
		a.done(t.j.remove(ten, id, t.j.baseFor(a.req, id)))
	case routeMessage:
		t.message(a, ten, id, body)
	case routeCommit:
		t.commit(a, ten, id, body)
	}
}

func (t *transport) create(a *answer, ten tenant, body []byte) {
	var req struct {
		SessionID string `json:"session_id"`
	}
	if err := decode(body, &req, true); err != nil {
		a.fail(err)
		return
	}
	res, appended, err := t.j.create(ten, req.SessionID)
	a.done(res, err)
	if !appended {
		a.mark = markHeld
	}
}

func (t *transport) message(a *answer, ten tenant, id string, body []byte) {
	var req struct {
		Role    string  `json:"role"`
		Content *string `json:"content"`
	}
	if err := decode(body, &req, false); err != nil {
		a.fail(err)
		return
	}
	if req.Role == "" || req.Content == nil {
		a.fail(invalid("role and content are required"))
		return
	}
	m := Message{Role: req.Role, Content: *req.Content}
	a.done(t.j.addMessage(ten, id, m, t.j.baseFor(a.req, id)))
}

func (t *transport) commit(a *answer, ten tenant, id string, body []byte) {
	var req struct {
		KeepRecentCount int `json:"keep_recent_count"`
	}
	if err := decode(body, &req, true); err != nil {
		a.fail(err)
		return
	}
	if req.KeepRecentCount < 0 {
		a.fail(invalid("keep_recent_count must not be negative"))
		return
	}
	a.done(t.j.commit(ten, id, req.KeepRecentCount, t.j.baseFor(a.req, id)))
}
