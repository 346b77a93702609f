package journal

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSharedUploadAcrossReplicas: an upload larger than one payload taken
// by A, whose replica is then lost with its disk, is read by B and by a
// replica joining later, and replayed whole from B with the resource
// naming it; the copies are gone once replayed.
func TestSharedUploadAcrossReplicas(t *testing.T) {
	fb, _ := startOV(t)
	sh := NewMemShared(minSharedPayload)
	path := journalPath(t)
	a := openAt(t, path, nil, func(o *Options) { o.Shared = sh })
	b := replicaOn(t, sh)
	text := strings.Repeat("the notes from the outage, ", 2000) // about 54 KiB: several chunks
	ctype, body := multipartBody(t, "notes.md", text)
	r := call(t, client(a), "POST", fb.URL()+uploadPath, string(body), "Content-Type", ctype)
	id, _ := r.result()["temp_file_id"].(string)
	if r.status != 200 || !strings.HasPrefix(id, uploadPrefix) {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	mustOK(t, a.Close())
	mustOK(t, os.RemoveAll(filepath.Dir(path)))
	waitFor(t, func() bool { got, _ := b.uploadText(id); return got == text })
	res := call(t, client(b), "POST", fb.URL()+resourcesPath, map[string]any{"temp_file_id": id, "reason": "notes"})
	if res.status != 200 {
		t.Fatalf("resource on B: %d %s", res.status, res.raw)
	}
	c := replicaOn(t, sh)
	if got, ok := c.uploadText(id); !ok || got != text {
		t.Fatalf("a replica joining later reads %d bytes of the upload", len(got))
	}
	p := &uploadPrimary{files: map[string]string{}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	rep, err := b.Replay(t.Context(), Target{BaseURL: srv.URL})
	if err != nil || rep.Replayed != 2 || rep.Failed != 0 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	mapped, _ := p.resources[0]["temp_file_id"].(string)
	if len(p.resources) != 1 || p.files[mapped] != text {
		t.Fatalf("the primary got %d resources, naming %d bytes", len(p.resources), len(p.files[mapped]))
	}
	waitFor(t, func() bool { left, _ := os.ReadDir(c.uploadDir()); return len(left) == 0 })
	if left, _ := os.ReadDir(b.uploadDir()); len(left) != 0 {
		t.Errorf("B keeps copies after the replay: %v", left)
	}
}

// TestSharedUploadBounds: the bounds hold across replicas: an upload
// over MaxUploadBytes is refused whole, and one past UploadBytes,
// counting another replica's, gets the retryable 503.
func TestSharedUploadBounds(t *testing.T) {
	fb, _ := startOV(t)
	sh := NewMemShared(minSharedPayload)
	bounds := func(o *Options) { o.MaxUploadBytes = 40 << 10; o.UploadBytes = 60 << 10 }
	a, b := replicaOn(t, sh, bounds), replicaOn(t, sh, bounds)
	ctype, big := multipartBody(t, "big.md", strings.Repeat("x", 50<<10))
	if r := call(t, client(a), "POST", fb.URL()+uploadPath, string(big), "Content-Type", ctype); r.status != 400 {
		t.Fatalf("an upload over the bound: %d %s", r.status, r.raw)
	}
	ctype, mid := multipartBody(t, "mid.md", strings.Repeat("y", 30<<10))
	if r := call(t, client(a), "POST", fb.URL()+uploadPath, string(mid), "Content-Type", ctype); r.status != 200 {
		t.Fatalf("the first upload: %d %s", r.status, r.raw)
	}
	waitFor(t, func() bool { return b.Pending() == 1 })
	if r := call(t, client(b), "POST", fb.URL()+uploadPath, string(mid), "Content-Type", ctype); r.status != 503 || r.code() != "UNAVAILABLE" {
		t.Fatalf("an upload past the total on B: %d %s", r.status, r.raw)
	}
	if a.Pending() != 1 || b.Pending() != 1 {
		t.Errorf("refused uploads left ops: %d, %d pending", a.Pending(), b.Pending())
	}
}

// TestSharedTrimWhenIdle: idle replays trim the shared log, a replica
// joining then starts empty, and sequence numbers go on increasing.
func TestSharedTrimWhenIdle(t *testing.T) {
	primary, _ := startOV(t)
	sh := NewMemShared(0)
	a := replicaOn(t, sh)
	for i := range 5 {
		mustOK(t, second(a.addMessage(tenant{}, "s", Message{Role: "user", Content: msgText("s", i)}, nil)))
	}
	last := seqs(a)[4]
	for range 3 {
		if _, err := a.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil {
			t.Fatal(err)
		}
	}
	if n := sh.Len(); n > 1 {
		t.Errorf("the shared log keeps %d payloads once idle", n)
	}
	b := replicaOn(t, sh)
	mustOK(t, second(b.addMessage(tenant{}, "s", Message{Role: "user", Content: "after"}, nil)))
	if b.Pending() != 1 || seqs(b)[0] <= last {
		t.Errorf("after the trim: %d pending, seq %v (last was %d)", b.Pending(), seqs(b), last)
	}
}

// TestSharedOpenRefusesSmallPayload: a log too small for ordinary writes
// is refused at Open.
func TestSharedOpenRefusesSmallPayload(t *testing.T) {
	if _, err := Open(Options{Path: journalPath(t), Shared: NewMemShared(1024)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("opening on a 1 KiB log: %v", err)
	}
}
