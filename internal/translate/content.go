package translate

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/lines"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// Bounds of the documents the translator remembers from the fallback's
// retrieved chunks.
const (
	rememberedDocs = 1024     // documents, least recently used forgotten first; with docTextLimit, 64 MiB at the very worst
	docTextLimit   = 64 << 10 // bytes of text kept per document
	abstractLimit  = 256      // characters of an abstract
	overviewLimit  = 2000     // characters of an overview
)

// contentPaths are OpenViking's content reads the fallback side answers
// (openviking/server/routers/content.py: read, abstract, overview).
var contentPaths = map[string]string{
	"/api/v1/content/read": "read", "/api/v1/content/abstract": "abstract", "/api/v1/content/overview": "overview",
}

// documents remembers, per viking:// URI, the text of the chunks the
// fallback retrieved for it, so that an agent can open what a fallback
// search found: LightRAG has no call that returns a document whole, but
// every search answer carries the chunks it matched.
type documents struct {
	mu    sync.Mutex // orders updates of one document's chunks
	cache *lru.Cache[string, *doc]
}

type doc struct {
	chunks []string
	size   int
}

func newDocuments() *documents {
	c, _ := lru.New[string, *doc](rememberedDocs) // a positive size never fails
	return &documents{cache: c}
}

// remember keeps the chunks of a fallback answer ({data: {chunks: [{file_path,
// content}]}}), each once per document, within the bounds.
func (d *documents) remember(answer any) {
	m, _ := answer.(map[string]any)
	data, _ := m["data"].(map[string]any)
	chunks, _ := data["chunks"].([]any)
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range chunks {
		cm, _ := c.(map[string]any)
		file, _ := cm["file_path"].(string)
		text, _ := cm["content"].(string)
		if file == "" || text == "" {
			continue
		}
		d.add(vikingURI(file), text)
	}
}

func (d *documents) add(uri, text string) {
	e, ok := d.cache.Get(uri)
	if !ok {
		e = &doc{}
		d.cache.Add(uri, e)
	}
	for _, have := range e.chunks {
		if have == text {
			return
		}
	}
	if e.size+len(text) <= docTextLimit {
		e.chunks = append(e.chunks, text)
		e.size += len(text)
	}
}

// text is the remembered text of uri, its chunks in the order first seen.
func (d *documents) text(uri string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.cache.Get(uri)
	if !ok {
		return "", false
	}
	return strings.Join(e.chunks, "\n\n"), true
}

// vikingURI is the URI OpenViking gives a LightRAG file_path, as the
// search translation does.
func vikingURI(file string) string {
	if strings.HasPrefix(file, "viking://") {
		return file
	}
	return "viking://" + file
}

// content answers a content read on the fallback side: from the chunks
// remembered for the URI, else from a retrieval of the URI's name; a
// document the fallback does not hold is UNAVAILABLE (the primary may
// hold it), never NOT_FOUND.
func (t *Translator) content(r *http.Request, kind string) *http.Response {
	start := time.Now()
	q := r.URL.Query()
	uri := q.Get("uri")
	if uri == "" {
		return respond(r, "content", http.StatusBadRequest,
			envelope.ErrorBody(envelope.InvalidArgument, "Invalid request parameters: query.uri: Field required", since(start)))
	}
	if _, err := shape(kind, "", q); err != nil {
		return respond(r, "content", http.StatusBadRequest, envelope.ErrorBody(envelope.InvalidArgument, err.Error(), since(start)))
	}
	text, ok := t.docs.text(uri)
	if !ok {
		t.retrieve(r.Context(), uri)
		text, ok = t.docs.text(uri)
	}
	if !ok {
		f := &failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable,
			msg: uri + " is not available while the primary is down"}
		resp := respond(r, "content", f.status, f.body(since(start)))
		resp.Header["Retry-After"] = []string{retryAfter}
		return resp
	}
	out, _ := shape(kind, text, q) // its parameters were checked above
	return respond(r, "content", http.StatusOK, okBody(out, since(start)))
}

// shape cuts the text as each read answers it: read by lines (offset,
// limit, as Python slices them), abstract and overview as their heads.
func shape(kind, text string, q map[string][]string) (string, error) {
	switch kind {
	case "abstract":
		return head(text, abstractLimit), nil
	case "overview":
		return head(text, overviewLimit), nil
	}
	offset, err := intParam(q, "offset", 0)
	if err != nil {
		return "", err
	}
	limit, err := intParam(q, "limit", -1)
	if err != nil {
		return "", err
	}
	return lines.Slice(text, offset, limit), nil
}

func intParam(q map[string][]string, key string, def int) (int, error) {
	v := ""
	if vs := q[key]; len(vs) > 0 {
		v = vs[0]
	}
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("Invalid request parameters: query.%s: Input should be a valid integer", key)
	}
	return n, nil
}

func head(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// retrieve asks the fallback for the chunks of uri, by its name, and
// remembers what comes back. Nothing found, or a fallback that fails, is
// simply nothing remembered.
func (t *Translator) retrieve(ctx context.Context, uri string) {
	if t.queryData == "" {
		return
	}
	name := strings.TrimSuffix(path.Base(uri), path.Ext(uri))
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	if len([]rune(strings.TrimSpace(name))) < 3 {
		name = uri
	}
	body, _ := json.Marshal(map[string]any{"query": name, "mode": "naive", "top_k": 60, "chunk_top_k": 60})
	c := &compiled{name: "content", method: http.MethodPost, target: t.queryData}
	status, answer, err := t.call(ctx, c, body)
	if err == nil && status >= 200 && status <= 299 {
		t.docs.remember(answer)
	}
}
