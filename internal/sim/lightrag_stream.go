package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// queryStream serves POST /query/stream (query_routes.py query_text_stream):
// NDJSON, first {"references": [...]} when asked, then the answer in
// pieces, {"response": "<piece>"} a line, each flushed as it is written,
// StreamGap apart, as a model streams tokens.
func (l *LightRAG) queryStream(w http.ResponseWriter, r *http.Request) {
	q, err := l.streamRequest(r)
	if err != nil {
		writeDetail(w, err)
		return
	}
	ret := l.retrieve(q)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	if q.IncludeReferences == nil || *q.IncludeReferences {
		_ = enc.Encode(map[string]any{"references": ret.refs})
		_ = rc.Flush()
	}
	for i, piece := range strings.SplitAfter(answer(q, ret), " ") {
		if i > 0 && l.streamGap > 0 {
			select {
			case <-time.After(l.streamGap):
			case <-r.Context().Done():
				return
			}
		}
		if enc.Encode(map[string]string{"response": piece}) != nil {
			return
		}
		_ = rc.Flush()
	}
}

func (l *LightRAG) streamRequest(r *http.Request) (queryRequest, error) {
	if err := l.authorize(r); err != nil {
		return queryRequest{}, err
	}
	return decodeQuery(r)
}
