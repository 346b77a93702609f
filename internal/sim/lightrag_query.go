package sim

import (
	"net/http"
	"strings"
)

// LightRAG's query defaults and its answer when it finds no context.
const (
	defaultQueryMode = "mix"
	defaultTopK      = 40
	failResponse     = "Sorry, I'm not able to provide an answer to that question.[no-context]"
	modeChoices      = "'local', 'global', 'hybrid', 'naive', 'mix' or 'bypass'"
)

var queryModes = map[string]bool{"local": true, "global": true, "hybrid": true, "naive": true, "mix": true, "bypass": true}

// queryRequest is the body of /query and /query/data.
type queryRequest struct {
	Query               *string          `json:"query"`
	Mode                *string          `json:"mode"`
	TopK                *int             `json:"top_k"`
	IncludeReferences   *bool            `json:"include_references"`
	ConversationHistory []map[string]any `json:"conversation_history"`
}

// validate applies LightRAG's pydantic rules and fills the defaults.
func (q *queryRequest) validate() error {
	var issues []validationIssue
	switch {
	case q.Query == nil:
		issues = append(issues, missingField("query"))
	case len(strings.TrimSpace(*q.Query)) < 3:
		issues = append(issues, tooShort("query", *q.Query, 3))
	}
	if q.Mode == nil {
		mode := defaultQueryMode
		q.Mode = &mode
	} else if !queryModes[*q.Mode] {
		issues = append(issues, validationIssue{Type: "literal_error", Loc: []any{"body", "mode"}, Input: *q.Mode,
			Msg: "Input should be " + modeChoices, Ctx: map[string]any{"expected": modeChoices}})
	}
	if q.TopK != nil && *q.TopK < 1 {
		issues = append(issues, validationIssue{Type: "greater_than_equal", Loc: []any{"body", "top_k"}, Input: *q.TopK,
			Msg: "Input should be greater than or equal to 1", Ctx: map[string]any{"ge": 1}})
	}
	if len(issues) > 0 {
		return unprocessable(issues...)
	}
	return nil
}

// reference is one entry of a query's references.
type reference struct {
	ReferenceID string `json:"reference_id"`
	FilePath    string `json:"file_path"`
}

// retrieval is what a query found: hits and their numbered references.
type retrieval struct {
	hits  []hit
	refs  []reference
	refOf map[string]string // file path -> reference id
}

// retrieve searches unless the mode skips retrieval or the index is corrupted.
func (l *LightRAG) retrieve(q queryRequest) retrieval {
	ret := retrieval{refs: []reference{}, refOf: map[string]string{}}
	if *q.Mode == "bypass" || l.cond.get().CorruptSearch {
		return ret
	}
	limit := defaultTopK
	if q.TopK != nil {
		limit = *q.TopK
	}
	ret.hits = l.index.search(searchParams{query: *q.Query, limit: limit})
	for _, h := range ret.hits {
		if _, ok := ret.refOf[h.doc.FilePath]; !ok {
			id := itoa(len(ret.refs) + 1)
			ret.refOf[h.doc.FilePath] = id
			ret.refs = append(ret.refs, reference{ReferenceID: id, FilePath: h.doc.FilePath})
		}
	}
	return ret
}

func decodeQuery(r *http.Request) (queryRequest, error) {
	var q queryRequest
	if err := decodeFastAPI(r, &q); err != nil {
		return q, err
	}
	return q, q.validate()
}

// queryResponse is the body of /query; References is null when the caller
// set include_references to false.
type queryResponse struct {
	Response   string      `json:"response"`
	References []reference `json:"references"`
}

func (l *LightRAG) query(r *http.Request) (any, error) {
	q, err := decodeQuery(r)
	if err != nil {
		return nil, err
	}
	ret := l.retrieve(q)
	res := queryResponse{Response: answer(q, ret), References: ret.refs}
	if q.IncludeReferences != nil && !*q.IncludeReferences {
		res.References = nil
	}
	return res, nil
}

// answer stands in for the LLM: it cites the best three abstracts.
func answer(q queryRequest, ret retrieval) string {
	if *q.Mode == "bypass" {
		return "(simulated model, no retrieval) " + *q.Query
	}
	if len(ret.hits) == 0 {
		return failResponse
	}
	var b strings.Builder
	b.WriteString("Based on the knowledge base:")
	for i, h := range ret.hits {
		if i == 3 {
			break
		}
		b.WriteString("\n- " + h.doc.Abstract + " [" + ret.refOf[h.doc.FilePath] + "]")
	}
	return b.String()
}
