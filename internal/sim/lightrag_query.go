package sim

import (
	"net/http"
	"strings"
)

// LightRAG's query defaults and limits (lightrag/constants.py) and its
// answer when it finds no context.
const (
	defaultQueryMode = "mix"
	defaultTopK      = 40
	maxQueryTopK     = 1000
	minQueryWeight   = 3
	failResponse     = "Sorry, I'm not able to provide an answer to that question.[no-context]"
	modeChoices      = "'local', 'global', 'hybrid', 'naive', 'mix' or 'bypass'"
	tooShortQuery    = "RAG query is too short. Enter at least 3 English characters or an equivalent " +
		"combination where each Chinese, Japanese or Korean character counts as 2."
)

var queryModes = map[string]bool{"local": true, "global": true, "hybrid": true, "naive": true, "mix": true, "bypass": true}

// queryRequest is the body of /query and /query/data (QueryRequest in
// lightrag/api/routers/query_routes.py); fields the simulator does not
// use are ignored, as pydantic ignores unknown ones.
type queryRequest struct {
	Query               *string          `json:"query"`
	Mode                *string          `json:"mode"`
	TopK                *int             `json:"top_k"`
	ChunkTopK           *int             `json:"chunk_top_k"`
	IncludeReferences   *bool            `json:"include_references"`
	ConversationHistory []map[string]any `json:"conversation_history"`
}

// validate applies QueryRequest's field rules, then, when they pass, its
// model rule (a RAG query must weigh at least 3), and fills the defaults.
func (q *queryRequest) validate() error {
	var issues []validationIssue
	switch {
	case q.Query == nil:
		issues = append(issues, missingField("query"))
	case strings.TrimSpace(*q.Query) == "":
		issues = append(issues, validationIssue{Type: "value_error", Loc: []any{"body", "query"}, Input: *q.Query,
			Msg: "Value error, Query must not be empty."})
	}
	if q.Mode == nil {
		mode := defaultQueryMode
		q.Mode = &mode
	} else if !queryModes[*q.Mode] {
		issues = append(issues, validationIssue{Type: "literal_error", Loc: []any{"body", "mode"}, Input: *q.Mode,
			Msg: "Input should be " + modeChoices, Ctx: map[string]any{"expected": modeChoices}})
	}
	issues = append(issues, topKIssues("top_k", q.TopK)...)
	issues = append(issues, topKIssues("chunk_top_k", q.ChunkTopK)...)
	if len(issues) > 0 {
		return unprocessable(issues...)
	}
	if *q.Mode != "bypass" && queryWeight(*q.Query) < minQueryWeight {
		return unprocessable(validationIssue{Type: "value_error", Loc: []any{"body"}, Input: *q.Query, Msg: "Value error, " + tooShortQuery})
	}
	return nil
}

// topKIssues checks a top_k-like field: ge=1, le=MAX_QUERY_TOP_K.
func topKIssues(field string, v *int) []validationIssue {
	switch {
	case v == nil:
		return nil
	case *v < 1:
		return []validationIssue{{Type: "greater_than_equal", Loc: []any{"body", field}, Input: *v,
			Msg: "Input should be greater than or equal to 1", Ctx: map[string]any{"ge": 1}}}
	case *v > maxQueryTopK:
		return []validationIssue{{Type: "less_than_equal", Loc: []any{"body", field}, Input: *v,
			Msg: "Input should be less than or equal to " + itoa(maxQueryTopK), Ctx: map[string]any{"le": maxQueryTopK}}}
	}
	return nil
}

// queryWeight is lightrag/query_validation.py's rag_query_weight: the
// characters (not bytes) of the trimmed query, Chinese, Japanese and
// Korean ones counting twice.
func queryWeight(q string) int {
	w := 0
	for _, r := range strings.TrimSpace(q) {
		w++
		if wideRune(r) {
			w++
		}
	}
	return w
}

// wideRanges are the Unicode blocks query_validation.py weighs as two.
var wideRanges = [][2]rune{
	{0x1100, 0x11FF}, {0x2E80, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA960, 0xA97F}, {0xAC00, 0xD7FF},
	{0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEE}, {0x16FE0, 0x16FFF}, {0x1AFF0, 0x1B2FF}, {0x20000, 0x3FFFD},
}

func wideRune(r rune) bool {
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
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
