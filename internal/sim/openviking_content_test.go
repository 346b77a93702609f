package sim

import (
	"net/http"
	"net/url"
	"testing"
)

func content(t *testing.T, base, kind, uri string, extra ...string) reply {
	t.Helper()
	q := url.Values{"uri": {uri}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return call(t, "GET", base+"/api/v1/content/"+kind+"?"+q.Encode(), nil)
}

// contentResult checks a success envelope whose result is a string.
func contentResult(t *testing.T, rep reply) string {
	t.Helper()
	wantStatus(t, rep, http.StatusOK)
	s, ok := at(rep.body, "result").(string)
	if !ok || at(rep.body, "status") != "ok" {
		t.Fatalf("want an ok envelope with a string result, got %s", rep.raw)
	}
	return s
}

func TestOpenVikingContent(t *testing.T) {
	seed := []Document{
		{URI: "viking://resources/notes/a.md", Title: "A", Abstract: "About a.", Text: "one\ntwo\nthree\n"},
		{URI: "viking://resources/notes/b.md", Title: "B", Text: "Bee text. More."},
		{URI: "viking://user/alice/memories/m.md", ContextType: ContextMemory, Text: "private"},
	}
	base := startServer(t, NewOpenViking(OpenVikingOptions{Seed: seed})).URL()
	if got := contentResult(t, content(t, base, "read", "viking://resources/notes/a.md")); got != "one\ntwo\nthree\n" {
		t.Errorf("read: %q", got)
	}
	if got := contentResult(t, content(t, base, "read", "viking://resources/notes/a.md", "offset", "1", "limit", "1")); got != "two\n" {
		t.Errorf("read offset 1 limit 1: %q", got)
	}
	if got := contentResult(t, content(t, base, "abstract", "viking://resources/notes/b.md")); got != "Bee text." {
		t.Errorf("abstract: %q", got)
	}
	if got := contentResult(t, content(t, base, "overview", "viking://resources/notes/a.md")); got != "# A\n\nAbout a.\n" {
		t.Errorf("overview: %q", got)
	}
	if got := contentResult(t, content(t, base, "abstract", "viking://resources/notes")); got != "Directory viking://resources/notes holds 2 documents." {
		t.Errorf("directory abstract: %q", got)
	}
	rep := content(t, base, "read", "viking://resources/notes/missing.md")
	wantOVError(t, rep, http.StatusNotFound, "NOT_FOUND")
	if at(rep.body, "error", "message") != "File not found: viking://resources/notes/missing.md" || at(rep.body, "error", "details", "type") != "file" {
		t.Errorf("not found: %s", rep.raw)
	}
	wantOVError(t, call(t, "GET", base+"/api/v1/content/read?uri=viking://user/alice/memories/m.md", nil, HeaderUser, "bob"), http.StatusNotFound, "NOT_FOUND")
	wantOVError(t, content(t, base, "overview", "viking://resources/none"), http.StatusNotFound, "NOT_FOUND")
	wantOVError(t, call(t, "GET", base+"/api/v1/content/read", nil), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, content(t, base, "read", "viking://resources/notes/a.md", "offset", "x"), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, content(t, base, "read", "/etc/passwd"), http.StatusBadRequest, "INVALID_URI")
}
