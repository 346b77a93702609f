package sim

import (
	"fmt"
	"net/http"
	"strings"
)

// commitRequest is CommitRequest with its bounds.
type commitRequest struct {
	KeepRecentCount            int            `json:"keep_recent_count"`
	RetentionMode              *string        `json:"retention_mode"`
	KeepRecentTurnCount        *int           `json:"keep_recent_turn_count"`
	RetainedMessageTokenBudget *int           `json:"retained_message_token_budget"`
	MinRawTailSteps            *int           `json:"min_raw_tail_steps"`
	ExtractionMetadata         map[string]any `json:"extraction_metadata"`
}

func (c commitRequest) validate() error {
	switch {
	case c.KeepRecentCount < 0 || c.KeepRecentCount > 10_000:
		return errInvalidArgument("keep_recent_count must be between 0 and 10000")
	case c.RetentionMode != nil && *c.RetentionMode != "turn_budget":
		return errInvalidArgument("retention_mode must be 'turn_budget'")
	case outside(c.KeepRecentTurnCount, 0, 10_000), outside(c.MinRawTailSteps, 0, 10_000):
		return errInvalidArgument("keep_recent_turn_count and min_raw_tail_steps must be between 0 and 10000")
	case c.RetainedMessageTokenBudget != nil && *c.RetainedMessageTokenBudget < 1:
		return errInvalidArgument("retained_message_token_budget must be at least 1")
	case c.RetentionMode == nil && (c.KeepRecentTurnCount != nil || c.RetainedMessageTokenBudget != nil || c.MinRawTailSteps != nil):
		return errInvalidArgument("retention_mode='turn_budget' is required when Turn retention fields are set")
	}
	for k := range c.ExtractionMetadata {
		if k != "event" {
			return errInvalidArgument("extraction_metadata." + k + ": Extra inputs are not permitted")
		}
	}
	return nil
}

func outside(v *int, lo, hi int) bool { return v != nil && (*v < lo || *v > hi) }

// commitSession archives the messages, keeping keep_recent_count, and
// turns the archive into a searchable memory at once (the task it reports
// is already completed). Turn retention is accepted and recorded but the
// simulator keeps messages by count alone.
func (o *OpenViking) commitSession(r *http.Request) (any, error) {
	var req commitRequest
	who, id, err := sessionOf(r)
	if err == nil {
		err = decodeOV(r, &req, true)
	}
	if err == nil {
		err = req.validate()
	}
	if err != nil {
		return nil, err
	}
	archived, task, err := o.store.commit(who, id, req.KeepRecentCount)
	if err != nil {
		return nil, err
	}
	trace := strings.ReplaceAll(newUUID(), "-", "")
	if len(archived) == 0 {
		return map[string]any{"session_id": id, "status": "skipped", "task_id": nil, "archive_uri": nil,
			"archived": false, "reason": "no_messages", "trace_id": trace}, nil
	}
	o.index.put(memoryDocument(task, archived))
	v, _ := o.store.view(who, id, false)
	archive := fmt.Sprintf("%s/history/archive_%03d", v.URI, v.Commits)
	return map[string]any{"session_id": id, "status": "accepted", "task_id": task.ID, "archive_uri": archive,
		"archived": true, "trace_id": trace, "estimated_active_tokens": v.PendingTokens()}, nil
}

// memoryDocument is the memory a commit extracts from archived messages.
func memoryDocument(t Task, archived []Message) Document {
	var b strings.Builder
	for _, m := range archived {
		b.WriteString(m.Role + ": " + m.Text() + "\n")
	}
	return Document{
		URI:         t.MemoryURI,
		ContextType: ContextMemory,
		Level:       2,
		Title:       "Memory of session " + t.SessionID,
		Text:        strings.TrimSpace(b.String()),
	}
}
