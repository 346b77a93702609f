package translate

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// tenantHeaders are the OpenViking headers a program may read, by their
// canonical and lower-case names. Keys and other headers are left out on
// purpose: programs have no reason to see credentials.
var tenantHeaders = [...][2]string{
	{"X-Openviking-Account", "x-openviking-account"},
	{"X-Openviking-User", "x-openviking-user"},
	{"X-Openviking-Agent", "x-openviking-agent"},
}

// maxPooled bounds the buffers kept for reuse, so one large body does not
// pin its memory.
const maxPooled = 1 << 20

// input is what a Request program sees, and Response sees as .request.
func (t *Translator) input(r *http.Request) (map[string]any, error) {
	body, err := t.readBody(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   queryOf(r.URL.RawQuery),
		"headers": tenantOf(r.Header),
		"body":    body,
	}, nil
}

// queryOf keeps the first value of each parameter; a malformed pair is
// skipped, as url.ParseQuery does.
func queryOf(raw string) map[string]any {
	if raw == "" {
		return map[string]any{}
	}
	values, _ := url.ParseQuery(raw)
	q := make(map[string]any, len(values))
	for k, v := range values {
		q[k] = v[0]
	}
	return q
}

func tenantOf(h http.Header) map[string]any {
	m := make(map[string]any, len(tenantHeaders))
	for _, name := range tenantHeaders {
		if v := h[name[0]]; len(v) > 0 {
			m[name[1]] = v[0]
		}
	}
	return m
}

// readBody parses the client's JSON body; an absent or blank body is null.
func (t *Translator) readBody(r *http.Request) (any, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	buf := t.getBuffer()
	defer t.putBuffer(buf)
	tooLarge, err := t.readLimited(buf, r.Body)
	switch {
	case r.Context().Err() != nil:
		return nil, r.Context().Err()
	case err != nil:
		return nil, invalid("cannot read the request body: " + err.Error())
	case tooLarge:
		return nil, invalid("the request body is larger than " + strconv.FormatInt(t.maxBody, 10) + " bytes")
	}
	v, err := decodeJSON(buf.Bytes())
	if err != nil {
		return nil, invalid("the request body is not valid JSON: " + err.Error())
	}
	return v, nil
}

// readLimited reads at most MaxBody bytes into buf and reports whether
// there was more.
func (t *Translator) readLimited(buf *bytes.Buffer, rd io.Reader) (tooLarge bool, err error) {
	n, err := buf.ReadFrom(io.LimitReader(rd, t.maxBody+1))
	return n > t.maxBody, err
}

// decodeJSON decodes into the plain values gojq works on: maps, slices,
// strings, float64, bool and nil. Decoded strings are copies, so the
// buffer can be reused afterwards.
func decodeJSON(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

func (t *Translator) getBuffer() *bytes.Buffer {
	buf := t.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

func (t *Translator) putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		t.buffers.Put(buf)
	}
}
