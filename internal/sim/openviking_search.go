package sim

import (
	"net/http"
	"strings"
)

// defaultSearchLimit is OpenViking's default result limit
// (retrieve/context_assembler/params.py, DEFAULT_LIMIT).
const defaultSearchLimit = 10

// contextItem is one search result as FindResult._context_to_dict
// (openviking_cli/retrieve/types.py) builds it.
type contextItem struct {
	ContextType string   `json:"context_type"`
	URI         string   `json:"uri"`
	Level       int      `json:"level"`
	Score       float64  `json:"score"`
	Abstract    string   `json:"abstract"`
	Tags        []string `json:"tags"`
}

// findResult is FindResult.to_dict without the query plan and provenance.
type findResult struct {
	Memories  []contextItem `json:"memories"`
	Resources []contextItem `json:"resources"`
	Skills    []contextItem `json:"skills"`
	Total     int           `json:"total"`
}

// find serves POST /api/v1/search/find.
func (o *OpenViking) find(r *http.Request) (any, error) {
	var req findRequest
	user, err := userOf(r)
	if err == nil {
		err = decodeModel(r, &req, false)
	}
	if err != nil {
		return nil, err
	}
	return o.run(&req, user)
}

// search serves POST /api/v1/search/search. Only mode="list" is
// simulated; the session does not change the results.
func (o *OpenViking) search(r *http.Request) (any, error) {
	var req searchRequest
	user, err := userOf(r)
	if err == nil {
		err = decodeModel(r, &req, false)
	}
	if err != nil {
		return nil, err
	}
	switch mode := valueOr(deref(req.Mode), "list"); mode {
	case "list":
		if used := req.contextOnly(); len(used) > 0 {
			return nil, valueError(strings.Join(used, ", ") + " require mode='context'; set mode='context' or drop these fields")
		}
	case "context":
		return nil, &apiError{status: http.StatusNotImplemented, code: "UNIMPLEMENTED", msg: "the simulator does not assemble context (mode='context')"}
	default:
		return nil, fieldIssue("mode", "literal_error", "Input should be 'list' or 'context'")
	}
	return o.run(&req.findRequest, user)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// run searches the index. Under corrupt_search it finds nothing, which is
// how a broken vector store looks while /health stays green.
func (o *OpenViking) run(req *findRequest, user string) (any, error) {
	f, err := req.params(user)
	if err != nil {
		return nil, err
	}
	res := findResult{Memories: []contextItem{}, Resources: []contextItem{}, Skills: []contextItem{}}
	if o.cond.get().CorruptSearch {
		return res, nil
	}
	for _, h := range o.index.search(searchParams{query: req.Query, threshold: f.minScore, limit: f.limit, admit: f.admits}) {
		res.add(h)
	}
	return res, nil
}

func (res *findResult) add(h hit) {
	tags := h.doc.Tags
	if tags == nil {
		tags = []string{}
	}
	item := contextItem{ContextType: h.doc.ContextType, URI: h.doc.URI, Level: h.doc.Level, Score: h.score, Abstract: h.doc.Abstract, Tags: tags}
	switch h.doc.ContextType {
	case ContextMemory:
		res.Memories = append(res.Memories, item)
	case ContextSkill:
		res.Skills = append(res.Skills, item)
	default:
		res.Resources = append(res.Resources, item)
	}
	res.Total++
}
