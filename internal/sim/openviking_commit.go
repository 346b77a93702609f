package sim

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// commitSession archives the messages, keeping keep_recent_count, and
// turns the archive into a searchable memory at once (the task it reports
// is already completed). Turn retention is accepted and recorded but the
// simulator keeps messages by count alone.
func (o *OpenViking) commitSession(r *http.Request) (any, error) {
	var req message.Commit
	who, id, err := sessionOf(r)
	if err == nil {
		err = decodeOV(r, &req, true)
	}
	if err == nil {
		err = invalidIf(req.Validate())
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
