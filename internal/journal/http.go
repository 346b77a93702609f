package journal

import (
	"net/http"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// Routes the journal answers itself.
const (
	sessionsPath   = "/api/v1/sessions"
	sessionsPrefix = sessionsPath + "/"
	resourcesPath  = "/api/v1/resources"
	uploadPath     = resourcesPath + "/temp_upload"
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
	routeContext
	routeDelete
	routeMessage
	routeBatch
	routeCommit
	routeUsed
	routeResource
	routeUpload
)

// sessionSubroutes are the POST calls under /api/v1/sessions/{id}/.
var sessionSubroutes = map[string]route{
	"messages": routeMessage, "messages/batch": routeBatch, "commit": routeCommit, "used": routeUsed,
}

// routeOf names the journal route of a request and its session id.
func routeOf(method, path string) (route, string) {
	switch path {
	case sessionsPath:
		return pick(method == http.MethodPost, routeCreate), ""
	case resourcesPath:
		return pick(method == http.MethodPost, routeResource), ""
	case uploadPath:
		return pick(method == http.MethodPost, routeUpload), ""
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
	case sub == "context" && method == http.MethodGet:
		return routeContext, id
	case method == http.MethodPost && sessionSubroutes[sub] != routeNone:
		return sessionSubroutes[sub], id
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
	if id, ok := taskRoute(r.Method, r.URL.Path); ok {
		a := newAnswer(t.j, r)
		a.done(t.j.taskView(capture(r, nil), id))
		a.held(true)
		return a.response(), nil
	}
	rt, id := routeOf(r.Method, r.URL.Path)
	if rt == routeNone {
		return t.next.RoundTrip(r)
	}
	a := newAnswer(t.j, r)
	if rt == routeUpload {
		a.done(t.j.upload(r))
		return a.response(), nil
	}
	body, err := readBody(r)
	switch {
	case err != nil:
		a.fail(err)
	case rt == routeResource:
		return t.resource(a, body)
	default:
		t.session(a, rt, id, capture(r, body))
	}
	return a.response(), nil
}

// session serves one session route into a.
func (t *transport) session(a *answer, rt route, id string, q *request) {
	if err := checkTenant(q); err != nil {
		a.fail(err)
		return
	}
	if id != "" && !message.ValidID(id) {
		a.fail(invalid("invalid session_id"))
		return
	}
	switch rt {
	case routeCreate:
		res, appended, err := t.j.create(q)
		a.done(res, err)
		a.held(!appended)
	case routeGet:
		a.done(t.j.view(q, id))
		a.held(true)
	case routeContext:
		a.done(t.j.context(q, id))
		a.held(true)
	default:
		a.done(t.j.write(rt, q, id))
	}
}

// checkTenant refuses identity headers OpenViking would refuse.
func checkTenant(q *request) error {
	for _, name := range []string{headerUser, headerAccount} {
		if v := q.Header[name]; v != "" && !message.ValidID(v) {
			return invalid("invalid " + name + " header")
		}
	}
	return nil
}
