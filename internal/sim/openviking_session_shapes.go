package sim

import (
	"net/http"
	"strconv"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// policies are the optional settings of CreateSessionRequest; nil fields
// are left as they are.
type policies struct {
	MemoryPolicy map[string]any `json:"memory_policy"`
	AutoCommit   map[string]any `json:"auto_commit_policy"`
	Extraction   map[string]any `json:"memory_extraction_config"`
}

func (p policies) apply(s *session) {
	if p.MemoryPolicy != nil {
		s.MemoryPolicy = p.MemoryPolicy
	}
	if p.AutoCommit != nil {
		s.AutoCommit = p.AutoCommit
	}
	if p.Extraction != nil {
		s.Extraction = p.Extraction
	}
}

// createRequest is CreateSessionRequest.
type createRequest struct {
	SessionID string `json:"session_id"`
	policies
}

// autoCommitFields are AutoCommitPolicyRequest's fields: it forbids others
// and explicit nulls.
var autoCommitFields = map[string]bool{"pending_token_threshold": true, "message_count_threshold": true,
	"idle_timeout_seconds": true, "keep_recent_count": true, "min_commit_interval_seconds": true}

func (c createRequest) validate() error {
	if c.SessionID != "" && !message.ValidID(c.SessionID) {
		return errInvalidArgument("invalid session_id")
	}
	for k, v := range c.AutoCommit {
		if !autoCommitFields[k] {
			return errInvalidArgument("auto_commit_policy." + k + ": Extra inputs are not permitted")
		}
		if _, ok := v.(float64); !ok {
			return errInvalidArgument("auto_commit_policy fields must be integers; use auto_commit_policy=null to disable automatic commits")
		}
	}
	return nil
}

func userDict(v SessionView) map[string]string {
	return map[string]string{"account_id": v.Account, "user_id": v.User}
}

// extraction is the effective memory_extraction_config: the session's,
// or the default of no event tags.
func extraction(v SessionView) map[string]any {
	if v.Extraction != nil {
		return v.Extraction
	}
	return map[string]any{"events": map[string]any{"tags": []string{}}}
}

// sessionMeta is GET /api/v1/sessions/{id}: SessionMeta.to_dict with the
// router's additions. It lists no messages; the context route does.
func sessionMeta(v SessionView) map[string]any {
	return map[string]any{
		"session_id": v.ID, "uri": v.URI, "user": userDict(v),
		"created_at": isoTime(v.Created), "updated_at": isoTime(v.Updated),
		"created_by_account_id": v.Account, "created_by_user_id": v.User,
		"message_count": len(v.Messages), "total_message_count": v.TotalMessages, "commit_count": v.Commits,
		"memories_extracted": map[string]int{}, "last_commit_at": isoTime(v.LastCommitAt),
		"llm_token_usage":       map[string]int{"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cached_tokens": 0, "reasoning_tokens": 0},
		"embedding_token_usage": map[string]int{"total_tokens": 0},
		"pending_tokens":        v.PendingTokens(), "keep_recent_count": v.Keep,
		"retention_mode": "", "keep_recent_turn_count": 0, "retained_message_token_budget": 0, "min_raw_tail_steps": 1,
		"memory_policy": v.MemoryPolicy, "auto_commit_policy": v.AutoCommit,
		"last_message_at": isoTime(v.LastMessageAt), "last_auto_commit_at": "",
		"memory_extraction_config": extraction(v),
	}
}

// sessionContext is GET /api/v1/sessions/{id}/context: the live messages
// that fit token_budget, newest kept first (fit_active_messages_to_budget).
func (o *OpenViking) sessionContext(r *http.Request) (any, error) {
	who, id, err := sessionOf(r)
	if err != nil {
		return nil, err
	}
	budget := 128_000
	if s := r.URL.Query().Get("token_budget"); s != "" {
		if budget, err = strconv.Atoi(s); err != nil {
			return nil, errInvalidArgument("token_budget must be an integer")
		}
	}
	if budget < 0 {
		return nil, errInvalidArgument("token_budget must be greater than or equal to 0")
	}
	v, err := o.store.view(who, id, false)
	if err != nil {
		return nil, err
	}
	msgs, tokens := fitBudget(v.Messages, budget)
	return map[string]any{
		"latest_archive_overview": "", "pre_archive_abstracts": []any{}, "messages": msgs,
		"estimatedTokens": tokens,
		"stats": map[string]int{"totalArchives": v.Commits, "includedArchives": 0, "droppedArchives": v.Commits,
			"failedArchives": 0, "activeTokens": tokens, "archiveTokens": 0},
	}, nil
}

// fitBudget keeps the newest messages whose tokens fit budget.
func fitBudget(ms []Message, budget int) ([]Message, int) {
	used, i := 0, len(ms)
	for i > 0 && used+ms[i-1].Tokens() <= budget {
		used += ms[i-1].Tokens()
		i--
	}
	out := ms[i:]
	if out == nil {
		out = []Message{}
	}
	return out, used
}
