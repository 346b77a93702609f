package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
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
	a.status, _ = statusOf(err)
	a.mark = markHeld
}

// okEnvelope and errorEnvelope are OpenViking's two response shapes.
type okEnvelope struct {
	Status string  `json:"status"`
	Result any     `json:"result"`
	Time   float64 `json:"time"`
}

type errorEnvelope struct {
	Status string    `json:"status"`
	Error  errorBody `json:"error"`
	Time   float64   `json:"time"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// response encodes the answer as an HTTP response with a correct length.
func (a *answer) response() *http.Response {
	secs := a.now().Sub(a.start).Seconds()
	var v any = okEnvelope{Status: "ok", Result: a.result, Time: secs}
	if a.err != nil {
		_, code := statusOf(a.err)
		v = errorEnvelope{Status: "error", Error: errorBody{Code: code, Message: messageOf(a.err)}, Time: secs}
	}
	body, err := json.Marshal(v)
	if err != nil { // only this package's types are encoded; they always encode
		body = []byte(`{"status":"error","error":{"code":"INTERNAL","message":"encoding the answer"},"time":0}`)
		a.status = http.StatusInternalServerError
	}
	return newResponse(a.req, a.status, body, a.mark)
}

func newResponse(r *http.Request, status int, body []byte, mark string) *http.Response {
	h := make(http.Header, 3)
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set(headerJournal, mark)
	return &http.Response{
		Status:     strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode: status,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}
