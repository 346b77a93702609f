package sim

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// findRequest is the body of POST /api/v1/search/find, OpenViking's
// FindRequest (openviking/server/routers/search.py) with extra="forbid".
// Fields that take several JSON types are raw and parsed below.
type findRequest struct {
	Query             string          `json:"query"`
	ImageURL          *string         `json:"image_url"` // accepted; the simulator has no image search
	TargetURI         json.RawMessage `json:"target_uri"`
	ContextType       json.RawMessage `json:"context_type"`
	Limit             *int            `json:"limit"`
	NodeLimit         *int            `json:"node_limit"`
	ScoreThreshold    *float64        `json:"score_threshold"`
	Filter            map[string]any  `json:"filter"`             // accepted; not applied
	IncludeProvenance bool            `json:"include_provenance"` // accepted; no provenance is reported
	Tags              []string        `json:"tags"`
	Since             *string         `json:"since"` // accepted; documents carry no times
	Until             *string         `json:"until"`
	TimeField         *string         `json:"time_field"`
	Level             json.RawMessage `json:"level"`
	Telemetry         json.RawMessage `json:"telemetry"` // accepted; no telemetry is reported
}

// searchRequest is the body of POST /api/v1/search/search: FindRequest's
// fields, the session, and the context-assembly fields of mode="context".
type searchRequest struct {
	findRequest
	SessionID         *string         `json:"session_id"` // accepted; queries are not expanded
	Mode              *string         `json:"mode"`
	QueryExpansion    json.RawMessage `json:"query_expansion"`
	MaxTokens         json.RawMessage `json:"max_tokens"`
	Quotas            json.RawMessage `json:"quotas"`
	Purpose           json.RawMessage `json:"purpose"`
	Detail            json.RawMessage `json:"detail"`
	DedupTurns        json.RawMessage `json:"dedup_turns"`
	ExcludeURIs       json.RawMessage `json:"exclude_uris"`
	PeerScope         json.RawMessage `json:"peer_scope"`
	OtherPeerPenalty  json.RawMessage `json:"other_peer_penalty"`
	Rewrite           json.RawMessage `json:"rewrite"`
	RewriteMaxBullets json.RawMessage `json:"rewrite_max_bullets"`
}

// contextOnly lists the fields SearchRequest refuses in mode="list"
// (search.py, CONTEXT_ONLY_FIELDS), in its sorted order.
func (s *searchRequest) contextOnly() []string {
	fields := map[string]json.RawMessage{
		"dedup_turns": s.DedupTurns, "detail": s.Detail, "exclude_uris": s.ExcludeURIs,
		"max_tokens": s.MaxTokens, "other_peer_penalty": s.OtherPeerPenalty, "peer_scope": s.PeerScope,
		"purpose": s.Purpose, "query_expansion": s.QueryExpansion, "quotas": s.Quotas,
		"rewrite": s.Rewrite, "rewrite_max_bullets": s.RewriteMaxBullets,
	}
	var used []string
	for name, raw := range fields {
		if len(raw) > 0 {
			used = append(used, name)
		}
	}
	slices.Sort(used)
	return used
}

// filter is what a find or search keeps: the parsed request's filters.
type filter struct {
	user     string
	targets  []string        // resolved target URIs; none means everywhere
	types    map[string]bool // context types; none means all
	levels   map[int]bool    // levels; none means all
	tags     []string        // every one must be on the document
	limit    int
	minScore float64
}

// params checks the fields pydantic cannot and builds the search.
func (q *findRequest) params(user string) (filter, error) {
	f := filter{user: user, limit: defaultSearchLimit}
	var err error
	if f.targets, err = targetURIs(q.TargetURI, user); err != nil {
		return f, err
	}
	if f.types, err = contextTypes(q.ContextType); err != nil {
		return f, err
	}
	if f.levels, err = levels(q.Level); err != nil {
		return f, err
	}
	if q.TimeField != nil && *q.TimeField != "updated_at" && *q.TimeField != "created_at" {
		return f, fieldIssue("time_field", "literal_error", "Input should be 'updated_at' or 'created_at'")
	}
	if q.Limit != nil {
		f.limit = *q.Limit
	}
	if q.NodeLimit != nil {
		f.limit = *q.NodeLimit
	}
	if f.limit < 1 {
		return f, errInvalidArgument("limit must be a positive integer")
	}
	if q.ScoreThreshold != nil {
		f.minScore = *q.ScoreThreshold
	}
	f.tags = q.Tags
	return f, nil
}

// targetURIs reads target_uri: "" (everywhere), one URI or a list of them.
func targetURIs(raw json.RawMessage, user string) ([]string, error) {
	var list []string
	var one string
	switch {
	case len(raw) == 0 || json.Unmarshal(raw, &one) == nil:
		if one == "" {
			return nil, nil
		}
		list = []string{one}
	case json.Unmarshal(raw, &list) != nil:
		return nil, fieldIssue("target_uri", "string_type", "Input should be a valid string or a list of strings")
	}
	out := make([]string, len(list))
	for i, u := range list {
		r, err := resolveURI(u, user)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// contextTypes reads context_type: a comma-separated string or a list of
// them, each memory, resource or skill (utils/search_filters.py,
// resolve_context_types).
func contextTypes(raw json.RawMessage) (map[string]bool, error) {
	values, ok := stringOrList(raw)
	if !ok {
		return nil, errInvalidArgument("context_type must be a ContextType, string, or list of ContextType/string values")
	}
	types := map[string]bool{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			t := strings.ToLower(strings.TrimSpace(part))
			switch t {
			case "":
			case ContextMemory, ContextResource, ContextSkill:
				types[t] = true
			default:
				return nil, errInvalidArgument("context_type must be one or more of: memory, resource, skill")
			}
		}
	}
	return types, nil
}

// levels reads level: an integer, a comma-separated string or a list of
// either; parts that are not integers are skipped, as _resolve_levels does.
func levels(raw json.RawMessage) (map[int]bool, error) {
	out := map[int]bool{}
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v == nil {
		return out, nil
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	for _, item := range items {
		switch x := item.(type) {
		case float64:
			out[int(x)] = true
		case string:
			for _, part := range strings.Split(x, ",") {
				if n, err := strconv.Atoi(strings.TrimSpace(part)); err == nil {
					out[n] = true
				}
			}
		default:
			return nil, fieldIssue("level", "int_type", "Input should be a valid integer, string or list of integers")
		}
	}
	return out, nil
}

// stringOrList reads an absent value, a string or a list of strings.
func stringOrList(raw json.RawMessage) ([]string, bool) {
	var one string
	var list []string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, true
	case json.Unmarshal(raw, &one) == nil:
		return []string{one}, true
	case json.Unmarshal(raw, &list) == nil:
		return list, true
	}
	return nil, false
}

// admits reports whether the search may return d.
func (f filter) admits(d Document) bool {
	if !visibleTo(f.user, d) || (len(f.types) > 0 && !f.types[d.ContextType]) || (len(f.levels) > 0 && !f.levels[d.Level]) {
		return false
	}
	for _, t := range f.tags {
		if !slices.Contains(d.Tags, t) {
			return false
		}
	}
	if len(f.targets) == 0 {
		return true
	}
	return slices.ContainsFunc(f.targets, func(t string) bool { return under(d.URI, t) })
}

// visibleTo hides other users' memories and sessions.
func visibleTo(user string, d Document) bool {
	return !strings.HasPrefix(d.URI, "viking://user/") || under(d.URI, "viking://user/"+user)
}
