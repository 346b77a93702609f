package translate

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An agent opens what a fallback search found: the read, its abstract and
// its overview come from the chunks the search retrieved, and a read by
// lines slices them as OpenViking does.
func TestContentOfWhatASearchFound(t *testing.T) {
	l, tr := onSimulator(t)
	found := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{"query":"agents"}`))
	if len(found) == 0 {
		t.Fatal("the search found nothing")
	}
	uri := found[0]["uri"].(string)
	before := l.Requests()
	read := do(t, tr, "GET", "/api/v1/content/read?uri="+url.QueryEscape(uri), "")
	text, _ := read.body["result"].(string)
	if read.status != http.StatusOK || text == "" {
		t.Fatalf("read: %d %s", read.status, read.raw)
	}
	if l.Requests() != before {
		t.Errorf("the read asked the fallback again; the search's chunks were not remembered")
	}
	first := do(t, tr, "GET", "/api/v1/content/read?uri="+url.QueryEscape(uri)+"&offset=0&limit=1", "")
	if line, _ := first.body["result"].(string); line == "" || strings.Count(strings.TrimSuffix(line, "\n"), "\n") != 0 || !strings.HasPrefix(text, line) {
		t.Errorf("the first line: %q of %q", line, text)
	}
	for _, kind := range []string{"abstract", "overview"} {
		r := do(t, tr, "GET", "/api/v1/content/"+kind+"?uri="+url.QueryEscape(uri), "")
		if s, _ := r.body["result"].(string); r.status != http.StatusOK || s == "" || !strings.HasPrefix(text, s) {
			t.Errorf("%s: %d %s", kind, r.status, r.raw)
		}
	}
}

// A document nobody searched for is retrieved by its name; one the
// fallback does not hold is UNAVAILABLE with a Retry-After (the primary
// may hold it); a read without uri is the client's error.
func TestContentNotSeen(t *testing.T) {
	_, tr := onSimulator(t)
	r := do(t, tr, "GET", "/api/v1/content/read?uri=viking%3A%2F%2Fresources%2Fno-such-thing.md", "")
	wantError(t, r, http.StatusServiceUnavailable, "UNAVAILABLE", "not available while the primary is down")
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	wantError(t, do(t, tr, "GET", "/api/v1/content/read", ""), http.StatusBadRequest, "INVALID_ARGUMENT", "query.uri")
	wantError(t, do(t, tr, "GET", "/api/v1/content/read?uri=viking%3A%2F%2Fx&offset=x", ""), http.StatusBadRequest, "INVALID_ARGUMENT", "query.offset")
}
