package journal

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strings"
)

// resourceRequest is the body of POST /api/v1/resources.
type resourceRequest struct {
	Path       string `json:"path"`
	TempFileID string `json:"temp_file_id"`
	To         string `json:"to"`
	Reason     string `json:"reason"`
	Wait       bool   `json:"wait"`
}

// resourceResult is the journal's own answer when the fallback gives none.
type resourceResult struct {
	Status     string          `json:"status"`
	RootURI    string          `json:"root_uri"`
	SourcePath string          `json:"source_path"`
	Errors     []string        `json:"errors"`
	Meta       struct{}        `json:"meta"`
	Journal    resourceJournal `json:"journal"`
}

type resourceJournal struct {
	Queued bool `json:"queued"`
}

// checkResource validates body like OpenViking and returns the answer.
func checkResource(body []byte) (resourceResult, error) {
	var req resourceRequest
	if err := decode(body, &req, false); err != nil {
		return resourceResult{}, err
	}
	source := req.Path
	if source == "" {
		source = req.TempFileID
	}
	if source == "" {
		return resourceResult{}, invalid("path or temp_file_id is required")
	}
	root, err := resourceRoot(req.To, source)
	res := resourceResult{Status: "success", RootURI: root, SourcePath: source, Errors: []string{}}
	res.Journal.Queued = true
	return res, err
}

// resourceRoot is where a resource lands: to, or viking://resources/<name>.
func resourceRoot(to, source string) (string, error) {
	if to == "" {
		return "viking://resources/" + strings.TrimSuffix(path.Base(source), path.Ext(source)), nil
	}
	if !strings.HasPrefix(to, "viking://") {
		return "", invalidURI("to must be a viking:// URI")
	}
	return to, nil
}

// Fields the journal adds to a resource add it passes on to the fallback
// side, for the translation: that the add is journaled (the primary gets
// it on replay), and the text of an upload the journal kept, which the
// fallback can index so searches during the outage find it. Lifeboat
// never fetches a URL on a client's behalf.
const (
	fieldJournaled  = "_lifeboat_journaled"
	fieldUploadText = "_lifeboat_upload_text"
)

// resource journals a resource addition, then also passes it on to next
// so the fallback can index what the client uploaded. The client gets
// next's answer when it is a success, the journal's own otherwise: the
// write is safe either way, the fallback's copy is only a convenience.
func (t *transport) resource(a *answer, body []byte) (*http.Response, error) {
	res, err := checkResource(body)
	if err == nil {
		err = t.j.addResource(capture(a.req, body))
	}
	if err != nil {
		a.fail(err)
		return a.response(), nil
	}
	if resp := t.forward(a.req, t.j.annotate(body)); resp != nil {
		return resp, nil
	}
	a.result = res
	return a.response(), nil
}

// annotate adds the journal's fields to a resource add's body.
func (j *Journal) annotate(body []byte) []byte {
	fields := map[string]json.RawMessage{}
	if json.Unmarshal(body, &fields) != nil {
		return body
	}
	fields[fieldJournaled] = json.RawMessage("true")
	var id string
	_ = json.Unmarshal(fields["temp_file_id"], &id)
	if text, ok := j.uploadText(id); ok {
		fields[fieldUploadText] = mustJSON(text)
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return body
	}
	return out
}

// forward sends the request with its body rebuilt to next and returns a
// 2xx answer, marked as journaled; anything else is drained and nil.
func (t *transport) forward(r *http.Request, body []byte) *http.Response {
	out := r.Clone(r.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return nil
	}
	if resp.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
		return nil
	}
	resp.Header.Set(headerJournal, markAppended)
	return resp
}
