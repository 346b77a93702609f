package journal

import (
	"encoding/json"
	"time"
)

// The shapes of OpenViking's session answers the journal gives for
// sessions it created, with the keys the primary's answers have
// (openviking/server/routers/sessions.py, SessionMeta.to_dict).

// createAnswer is POST /api/v1/sessions: the ids and the policies the
// request set (create_session's result).
func createAnswer(q *request, id string) map[string]any {
	var pol struct {
		AutoCommit any `json:"auto_commit_policy"`
		Extraction any `json:"memory_extraction_config"`
	}
	_ = json.Unmarshal(q.Body, &pol) // checked by create's decode
	if pol.Extraction == nil {
		pol.Extraction = defaultExtraction()
	}
	return map[string]any{"session_id": id, "uri": sessionURI(q.user(), id),
		"user":               map[string]string{"account_id": q.account(), "user_id": q.user()},
		"auto_commit_policy": pol.AutoCommit, "memory_extraction_config": pol.Extraction}
}

func defaultExtraction() map[string]any {
	return map[string]any{"events": map[string]any{"tags": []string{}}}
}

// metaOf is GET /api/v1/sessions/{id} of a held session: the primary's
// last answer when one was seen, else a created session's defaults; the
// counts and times the journal carried on replace the answer's own.
func metaOf(s *session, q *request) map[string]any {
	res := map[string]any{}
	if s.meta != nil {
		_ = json.Unmarshal(s.meta, &res) // the primary's answer, decoded once already
	} else {
		res = defaultMeta(s, q)
	}
	res["session_id"], res["uri"] = s.id, sessionURI(s.user, s.id)
	res["message_count"], res["pending_tokens"], res["total_message_count"] = s.count, s.pending, s.total
	res["commit_count"], res["keep_recent_count"] = s.commits, s.keep
	setTime(res, "updated_at", s.updated)
	setTime(res, "last_message_at", s.lastMessage)
	setTime(res, "last_commit_at", s.lastCommit)
	return res
}

func defaultMeta(s *session, q *request) map[string]any {
	c := createAnswer(&request{Header: q.Header, Body: s.policies}, s.id)
	return map[string]any{
		"user": c["user"], "created_at": isoMillis(s.created), "updated_at": "",
		"created_by_account_id": q.account(), "created_by_user_id": q.user(),
		"memories_extracted": map[string]int{}, "last_commit_at": "",
		"llm_token_usage":       map[string]int{"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cached_tokens": 0, "reasoning_tokens": 0},
		"embedding_token_usage": map[string]int{"total_tokens": 0},
		"retention_mode":        "", "keep_recent_turn_count": 0, "retained_message_token_budget": 0, "min_raw_tail_steps": 1,
		"memory_policy": nil, "auto_commit_policy": c["auto_commit_policy"], "last_message_at": "",
		"last_auto_commit_at": "", "memory_extraction_config": c["memory_extraction_config"],
	}
}

// setTime sets key to ms when the journal saw that event itself.
func setTime(res map[string]any, key string, ms int64) {
	if ms != 0 {
		res[key] = isoMillis(ms)
	}
}

func isoMillis(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}
