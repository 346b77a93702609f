package sim

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

func (o *OpenViking) sessionRoutes() {
	o.rt.handle("POST /api/v1/sessions", o.endpoint(o.createSession))
	o.rt.handle("GET /api/v1/sessions/{id}", o.endpoint(o.getSession))
	o.rt.handle("DELETE /api/v1/sessions/{id}", o.endpoint(o.deleteSession))
	o.rt.handle("POST /api/v1/sessions/{id}/messages", o.endpoint(o.addMessage))
	o.rt.handle("POST /api/v1/sessions/{id}/commit", o.endpoint(o.commitSession))
	o.rt.handle("GET /api/v1/tasks/{task_id}", o.endpoint(o.getTask))
}

// decodeOV reads a JSON body for OpenViking; optional bodies may be empty.
// Any decoding problem is INVALID_ARGUMENT.
func decodeOV(r *http.Request, v any, optional bool) error {
	err := decodeJSON(r, v, false)
	if errors.Is(err, errEmptyBody) && optional {
		return nil
	}
	if err != nil {
		return errInvalidArgument("invalid request body: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// sessionResult is the result of GET /api/v1/sessions/{id}.
type sessionResult struct {
	SessionView
	MessageCount  int `json:"message_count"`
	PendingTokens int `json:"pending_tokens"`
}

func newSessionResult(v SessionView) sessionResult {
	if v.Messages == nil {
		v.Messages = []Message{}
	}
	return sessionResult{SessionView: v, MessageCount: len(v.Messages), PendingTokens: v.PendingTokens()}
}

// createSession is idempotent: an existing id returns the existing session.
func (o *OpenViking) createSession(r *http.Request) (any, error) {
	var req struct {
		SessionID string `json:"session_id"`
	}
	user, err := userOf(r)
	if err == nil {
		err = decodeOV(r, &req, true)
	}
	if err != nil {
		return nil, err
	}
	if req.SessionID == "" {
		req.SessionID = newUUID()
	} else if !validID(req.SessionID) {
		return nil, errInvalidArgument("invalid session_id")
	}
	v, err := o.store.create(user, req.SessionID)
	if err != nil {
		return nil, err
	}
	return map[string]string{"session_id": v.ID, "uri": v.URI, "user": v.User}, nil
}

func (o *OpenViking) getSession(r *http.Request) (any, error) {
	user, err := userOf(r)
	if err != nil {
		return nil, err
	}
	v, err := o.store.view(user, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return newSessionResult(v), nil
}

func (o *OpenViking) deleteSession(r *http.Request) (any, error) {
	user, err := userOf(r)
	if err == nil {
		err = o.store.remove(user, r.PathValue("id"))
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"session_id": r.PathValue("id")}, nil
}

func (o *OpenViking) addMessage(r *http.Request) (any, error) {
	var req struct {
		Role    string  `json:"role"`
		Content *string `json:"content"`
	}
	user, err := userOf(r)
	if err == nil {
		err = decodeOV(r, &req, false)
	}
	if err != nil {
		return nil, err
	}
	if req.Role == "" || req.Content == nil {
		return nil, errInvalidArgument("role and content are required")
	}
	v, err := o.store.add(user, r.PathValue("id"), Message{Role: req.Role, Content: *req.Content})
	if err != nil {
		return nil, err
	}
	return map[string]any{"session_id": v.ID, "message_count": len(v.Messages), "pending_tokens": v.PendingTokens()}, nil
}

// commitSession archives the messages, keeping keep_recent_count, and
// turns the archive into a searchable memory at once (the task it reports
// is already completed).
func (o *OpenViking) commitSession(r *http.Request) (any, error) {
	var req struct {
		KeepRecentCount int `json:"keep_recent_count"`
	}
	user, err := userOf(r)
	if err == nil {
		err = decodeOV(r, &req, true)
	}
	if err == nil && req.KeepRecentCount < 0 {
		err = errInvalidArgument("keep_recent_count must not be negative")
	}
	if err != nil {
		return nil, err
	}
	id := r.PathValue("id")
	archived, task, err := o.store.commit(user, id, req.KeepRecentCount)
	if err != nil {
		return nil, err
	}
	if len(archived) == 0 {
		return map[string]any{"session_id": id, "status": "skipped", "archived": false}, nil
	}
	o.index.put(memoryDocument(task, archived))
	return map[string]any{"session_id": id, "status": "accepted", "task_id": task.ID, "archived": true}, nil
}

// memoryDocument is the memory a commit extracts from archived messages.
func memoryDocument(t Task, archived []Message) Document {
	var b strings.Builder
	for _, m := range archived {
		b.WriteString(m.Role + ": " + m.Content + "\n")
	}
	return Document{
		URI:         t.MemoryURI,
		ContextType: ContextMemory,
		Level:       2,
		Title:       "Memory of session " + t.SessionID,
		Text:        strings.TrimSpace(b.String()),
	}
}

func (o *OpenViking) getTask(r *http.Request) (any, error) {
	id := r.PathValue("task_id")
	t, ok := o.store.task(id)
	user, err := userOf(r)
	if err != nil {
		return nil, err
	}
	if !ok || t.User != user {
		return nil, errNotFound("Task not found or expired")
	}
	created := t.Created.UTC().Format(time.RFC3339Nano)
	return map[string]any{
		"task_id": t.ID, "task_type": "session_commit", "status": "completed",
		"resource_id": t.SessionID, "created_at": created, "updated_at": created,
		"result": map[string]any{"session_id": t.SessionID, "archived_messages": t.Archived, "memory_uri": t.MemoryURI},
	}, nil
}
