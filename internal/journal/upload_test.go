package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// uploadPrimary stands for OpenViking's resource routes: temp_upload
// keeps the file's text under a new id; resources records what it got.
type uploadPrimary struct {
	mu        sync.Mutex
	files     map[string]string
	resources []map[string]any
}

func (p *uploadPrimary) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case uploadPath:
		f, _, err := r.FormFile("file")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","error":{"code":"INVALID_ARGUMENT","message":"no file"}}`))
			return
		}
		data, _ := io.ReadAll(f)
		id := "upload_" + newUUID()
		p.files[id] = string(data)
		_, _ = w.Write([]byte(`{"status":"ok","result":{"temp_file_id":"` + id + `"}}`))
	case resourcesPath:
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		p.resources = append(p.resources, body)
		_, _ = w.Write([]byte(`{"status":"ok","result":{"status":"success","root_uri":"viking://resources/x"}}`))
	default:
		http.NotFound(w, r)
	}
}

func multipartBody(t *testing.T, name, text string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(text))
	_ = mw.WriteField("telemetry", "false")
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// TestUploadThenResourceReplays: a temp_upload and the resource naming it
// are kept through a restart, replayed in order, and the resource names
// the primary's copy of the file; the kept file is gone after.
func TestUploadThenResourceReplays(t *testing.T) {
	fb, _ := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil)
	c := client(j)
	ctype, body := multipartBody(t, "notes.md", "the notes from the outage")
	r := call(t, c, "POST", fb.URL()+uploadPath, string(body), "Content-Type", ctype, "X-API-Key", "k1")
	id, _ := r.result()["temp_file_id"].(string)
	if r.status != 200 || !strings.HasPrefix(id, uploadPrefix) || r.header.Get(headerJournal) != markAppended {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	res := call(t, c, "POST", fb.URL()+resourcesPath, map[string]any{"temp_file_id": id, "reason": "outage notes", "wait": false})
	if res.status != 200 {
		t.Fatalf("resource: %d %s", res.status, res.raw)
	}
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil)
	p := &uploadPrimary{files: map[string]string{}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	rep, err := j2.Replay(t.Context(), Target{BaseURL: srv.URL})
	if err != nil || rep.Replayed != 2 || rep.Failed != 0 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	if len(p.resources) != 1 {
		t.Fatalf("resources on the primary: %v", p.resources)
	}
	got := p.resources[0]
	mapped, _ := got["temp_file_id"].(string)
	if p.files[mapped] != "the notes from the outage" || got["reason"] != "outage notes" || got["wait"] != false {
		t.Fatalf("the resource names %q (%q) with %v", mapped, p.files[mapped], got)
	}
	if left, _ := os.ReadDir(j2.uploadDir()); len(left) != 0 {
		t.Errorf("kept uploads remain after the replay: %v", left)
	}
}

// TestUploadBounds: a body over the bound is refused whole, and uploads
// past the total bound get 503 so the client retries.
func TestUploadBounds(t *testing.T) {
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.MaxUploadBytes = 800; o.UploadBytes = 1200 })
	c := client(j)
	ctype, big := multipartBody(t, "big.md", strings.Repeat("x", 1000))
	if r := call(t, c, "POST", fb.URL()+uploadPath, string(big), "Content-Type", ctype); r.status != 400 {
		t.Fatalf("an upload over the bound: %d %s", r.status, r.raw)
	}
	ctype, small := multipartBody(t, "small.md", strings.Repeat("y", 300))
	if r := call(t, c, "POST", fb.URL()+uploadPath, string(small), "Content-Type", ctype); r.status != 200 {
		t.Fatalf("the first small upload: %d %s", r.status, r.raw)
	}
	if r := call(t, c, "POST", fb.URL()+uploadPath, string(small), "Content-Type", ctype); r.status != 503 || r.code() != "UNAVAILABLE" {
		t.Fatalf("an upload past the total: %d %s", r.status, r.raw)
	}
	if r := call(t, c, "POST", fb.URL()+uploadPath, `{"not":"multipart"}`); r.status != 400 {
		t.Fatalf("a JSON upload: %d %s", r.status, r.raw)
	}
	if st := j.Stats(); st.Pending != 1 {
		t.Errorf("pending %d, want the one accepted upload", st.Pending)
	}
}

// TestResourceNamingAJournaledUploadReachesThePrimaryInOrder: a client
// uploads while the primary is away (the journal's id), then adds the
// resource when the primary is back: the add is journaled behind its
// upload instead of reaching a primary that never gave that id, and once
// the upload is replayed the same add goes straight through with the
// primary's id.
func TestResourceNamingAJournaledUploadReachesThePrimaryInOrder(t *testing.T) {
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil)
	ctype, body := multipartBody(t, "a.md", "journaled upload")
	id, _ := call(t, client(j), "POST", fb.URL()+uploadPath, string(body), "Content-Type", ctype).result()["temp_file_id"].(string)
	p := &uploadPrimary{files: map[string]string{}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	var indexed []string // what the fallback side was given
	fallbackSide := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		text, _ := body[fieldUploadText].(string)
		indexed = append(indexed, text)
		return nil, errors.New("the fallback is down too")
	})
	up := &http.Client{Transport: j.Observe(http.DefaultTransport, fallbackSide)}
	r := call(t, up, "POST", srv.URL+resourcesPath, map[string]any{"temp_file_id": id, "to": "viking://resources/a"})
	if len(indexed) != 1 || indexed[0] != "journaled upload" {
		t.Errorf("the fallback side was given %q", indexed)
	}
	if r.status != 200 || r.header.Get(headerJournal) != markAppended || len(p.resources) != 0 {
		t.Fatalf("the add reached the primary before its upload: %d %s (%d resources)", r.status, r.raw, len(p.resources))
	}
	if rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL}); err != nil || rep.Replayed != 2 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	mapped, _ := p.resources[0]["temp_file_id"].(string)
	if p.files[mapped] != "journaled upload" {
		t.Fatalf("the replayed add names %q", mapped)
	}
	// The upload is replayed but the log not yet reset by a later write:
	// an add naming it now goes straight to the primary, renamed.
	call(t, up, "POST", srv.URL+resourcesPath, map[string]any{"temp_file_id": id, "to": "viking://resources/b"})
	if len(p.resources) != 2 || p.resources[1]["temp_file_id"] != mapped {
		t.Fatalf("the second add: %v", p.resources)
	}
}

// TestResetKeepsAnUploadBeingTaken: a reset of an idle log between an
// upload's file being written and its op being appended keeps the file
// (the demo lost two uploads to this before).
func TestResetKeepsAnUploadBeingTaken(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	if err := os.MkdirAll(j.uploadDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"taking", "stale"} {
		if err := os.WriteFile(j.uploadDir()+"/"+id, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	j.uploading("taking", true)
	if idle, err := j.resetIfIdle(); !idle || err != nil {
		t.Fatalf("reset: %v %v", idle, err)
	}
	left, _ := os.ReadDir(j.uploadDir())
	if len(left) != 1 || left[0].Name() != "taking" {
		t.Fatalf("after the reset the kept uploads are %v, want only the one being taken", left)
	}
}

// TestMoveTakesTheJournalsFiles: a journal moved aside takes what the
// observer saw and its kept uploads with it, and opens whole at its new
// place.
func TestMoveTakesTheJournalsFiles(t *testing.T) {
	path := journalPath(t)
	j := openAt(t, path, nil)
	ctype, body := multipartBody(t, "a.md", "kept")
	call(t, client(j), "POST", "http://fallback"+uploadPath, string(body), "Content-Type", ctype)
	j.seen.update("default/default", "s", func(b *Base) bool { b.MessageCount = 3; return true })
	mustOK(t, j.Close())
	held := path + ".held"
	mustOK(t, Move(path, held))
	for _, p := range []string{path, path + seenSuffix, path + uploadsSuffix} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	j2 := openAt(t, held, nil)
	if b, ok := j2.seen.get("default/default", "s"); !ok || b.MessageCount != 3 || j2.Pending() != 1 {
		t.Fatalf("moved journal: seen %+v %v, pending %d", b, ok, j2.Pending())
	}
	if left, _ := os.ReadDir(j2.uploadDir()); len(left) != 1 {
		t.Fatalf("kept uploads at the new place: %v", left)
	}
}
