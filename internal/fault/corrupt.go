package fault

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxSearchBody bounds how much of a search answer is read to corrupt it;
// a larger answer is replaced whole by an empty one.
const maxSearchBody = 8 << 20

// emptySearch is the answer of a search that found nothing, used when the
// real answer cannot be rewritten field by field.
const emptySearch = `{"status":"ok","result":{"memories":[],"resources":[],"skills":[],"total":0},"time":0}`

// isSearch reports OpenViking's two search calls, whatever base path the
// primary lives under.
func isSearch(req *http.Request) bool {
	p := req.URL.Path
	return req.Method == http.MethodPost &&
		(strings.HasSuffix(p, "/api/v1/search/find") || strings.HasSuffix(p, "/api/v1/search/search"))
}

// corrupt makes a successful search answer find nothing, as a broken
// vector store does while /health stays green. Other answers, errors
// included, are left alone.
func corrupt(resp *http.Response) {
	if resp.StatusCode != http.StatusOK {
		return
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxSearchBody+1))
	_ = resp.Body.Close()
	body := []byte(emptySearch)
	if err == nil && len(raw) <= maxSearchBody && identity(resp.Header.Get("Content-Encoding")) {
		body = emptied(raw)
	}
	resp.Header.Del("Content-Encoding")
	resp.Header.Set("Content-Type", "application/json")
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.ContentLength = int64(len(body))
	resp.Body = io.NopCloser(bytes.NewReader(body))
}

func identity(encoding string) bool { return encoding == "" || strings.EqualFold(encoding, "identity") }

// emptied rewrites an envelope's result so that its resources, memories
// and skills are empty and its total is 0, keeping every other field.
func emptied(raw []byte) []byte {
	var env, result map[string]json.RawMessage
	if json.Unmarshal(raw, &env) != nil || json.Unmarshal(env["result"], &result) != nil || result == nil {
		return []byte(emptySearch)
	}
	for _, k := range []string{"memories", "resources", "skills"} {
		result[k] = json.RawMessage("[]")
	}
	result["total"] = json.RawMessage("0")
	env["result"], _ = json.Marshal(result)
	out, err := json.Marshal(env)
	if err != nil {
		return []byte(emptySearch)
	}
	return out
}
