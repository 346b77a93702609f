package sim

import (
	"net/http"
	"path"
	"strings"
)

// defaultSearchLimit is OpenViking's default result limit.
const defaultSearchLimit = 10

// searchRequest is the body of /api/v1/search/find and /search/search.
type searchRequest struct {
	Query          string   `json:"query"`
	TargetURI      string   `json:"target_uri"`
	Limit          *int     `json:"limit"`
	ScoreThreshold *float64 `json:"score_threshold"`
	SessionID      string   `json:"session_id"` // accepted; the simulator does not expand queries
}

// contextItem is one search result.
type contextItem struct {
	ContextType string  `json:"context_type"`
	URI         string  `json:"uri"`
	Level       int     `json:"level"`
	Score       float64 `json:"score"`
	Abstract    string  `json:"abstract"`
}

type findResult struct {
	Memories  []contextItem `json:"memories"`
	Resources []contextItem `json:"resources"`
	Skills    []contextItem `json:"skills"`
	Total     int           `json:"total"`
}

// find serves both search endpoints. Under corrupt_search it finds nothing,
// which is how a broken vector store looks while /health stays green.
func (o *OpenViking) find(r *http.Request) (any, error) {
	var req searchRequest
	user, err := userOf(r)
	if err == nil {
		err = decodeOV(r, &req, false)
	}
	if err != nil {
		return nil, err
	}
	p, err := req.params(user)
	if err != nil {
		return nil, err
	}
	res := findResult{Memories: []contextItem{}, Resources: []contextItem{}, Skills: []contextItem{}}
	if o.cond.get().CorruptSearch {
		return res, nil
	}
	for _, h := range o.index.search(p) {
		res.add(h)
	}
	return res, nil
}

func (req searchRequest) params(user string) (searchParams, error) {
	if strings.TrimSpace(req.Query) == "" {
		return searchParams{}, errInvalidArgument("query is required")
	}
	p := searchParams{query: req.Query, prefix: req.TargetURI, limit: defaultSearchLimit, visible: visibleTo(user)}
	if req.Limit != nil {
		if *req.Limit <= 0 {
			return searchParams{}, errInvalidArgument("limit must be positive")
		}
		p.limit = *req.Limit
	}
	if req.ScoreThreshold != nil {
		p.threshold = *req.ScoreThreshold
	}
	return p, nil
}

// visibleTo hides other users' memories.
func visibleTo(user string) func(Document) bool {
	own := "viking://user/" + user + "/"
	return func(d Document) bool {
		return !strings.HasPrefix(d.URI, "viking://user/") || strings.HasPrefix(d.URI, own)
	}
}

func (res *findResult) add(h hit) {
	item := contextItem{ContextType: h.doc.ContextType, URI: h.doc.URI, Level: h.doc.Level, Score: h.score, Abstract: h.doc.Abstract}
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

// addResource imports a resource at once and makes it searchable; the
// abstract comes from reason, else from the path.
func (o *OpenViking) addResource(r *http.Request) (any, error) {
	var req struct {
		Path       string `json:"path"`
		TempFileID string `json:"temp_file_id"`
		To         string `json:"to"`
		Reason     string `json:"reason"`
		Wait       bool   `json:"wait"`
	}
	if err := decodeOV(r, &req, false); err != nil {
		return nil, err
	}
	source := req.Path
	if source == "" {
		source = req.TempFileID
	}
	if source == "" {
		return nil, errInvalidArgument("path or temp_file_id is required")
	}
	root, err := resourceRoot(req.To, source)
	if err != nil {
		return nil, err
	}
	abstract := req.Reason
	if abstract == "" {
		abstract = "Resource imported from " + source
	}
	o.index.put(Document{URI: root, Level: 2, Title: path.Base(source), Abstract: abstract, Text: source + "\n" + req.Reason})
	return map[string]any{"status": "success", "root_uri": root, "source_path": source, "errors": []string{}}, nil
}

// resourceRoot is where a resource lands: to, or viking://resources/<name>.
func resourceRoot(to, source string) (string, error) {
	if to == "" {
		name := strings.TrimSuffix(path.Base(source), path.Ext(source))
		return "viking://resources/" + name, nil
	}
	if !strings.HasPrefix(to, "viking://") {
		return "", errInvalidArgument("to must be a viking:// URI")
	}
	return to, nil
}
