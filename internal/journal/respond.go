package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// maxBody bounds request bodies, as OpenViking's small JSON bodies allow.
const maxBody = 1 << 20

// readBody reads and closes the request body, refusing more than maxBody.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, invalid("reading the body: " + err.Error())
	}
	if len(b) > maxBody {
		return nil, invalid("body too large")
	}
	return b, nil
}

// decode reads one JSON value into v and rejects trailing data, like
// OpenViking; an optional body may be empty.
func decode(body []byte, v any, optional bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return invalid("invalid request body: unexpected end of JSON input")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON value")
	}
	if err != nil {
		return invalid("invalid request body: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// answer collects the journal's reply to one request.
type answer struct {
	req    *http.Request
	start  time.Time
	now    func() time.Time
	status int
	result any
	err    error
	mark   string
}

func newAnswer(j *Journal, r *http.Request) *answer {
	return &answer{req: r, start: j.o.Now(), now: j.o.Now, status: http.StatusOK, mark: markAppended}
}

// done records a result or, when err is set, an error.
func (a *answer) done(result any, err error) {
	if err != nil {
		a.fail(err)
		return
	}
	a.result = result
}

func (a *answer) fail(err error) {
	a.err = err
	a.status = envelope.Status(codeOf(err))
	a.mark = markHeld
}

// response encodes the answer as an HTTP response with a correct length.
func (a *answer) response() *http.Response {
	secs := a.now().Sub(a.start).Seconds()
	var body []byte
	if a.err != nil {
		body = envelope.ErrorBody(codeOf(a.err), messageOf(a.err), secs)
	} else if result, err := json.Marshal(a.result); err == nil {
		body = envelope.AppendOK(make([]byte, 0, len(result)+48), result, secs)
	} else { // only this package's types are encoded; they always encode
		body = envelope.ErrorBody(envelope.Internal, "encoding the answer", 0)
		a.status = http.StatusInternalServerError
	}
	resp := envelope.Response(a.req, a.status, body)
	resp.Header.Set(headerJournal, a.mark)
	return resp
}

// held marks an answer that wrote nothing (when yes).
func (a *answer) held(yes bool) {
	if yes {
		a.mark = markHeld
	}
}
