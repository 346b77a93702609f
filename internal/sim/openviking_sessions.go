package sim

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// sessionRoutes are the routes of openviking/server/routers/sessions.py
// that agents use, and the task route their commits point to.
func (o *OpenViking) sessionRoutes() {
	o.rt.handle("POST /api/v1/sessions", o.endpoint(o.createSession))
	o.rt.handle("GET /api/v1/sessions", o.endpoint(o.listSessions))
	o.rt.handle("GET /api/v1/sessions/{id}", o.endpoint(o.getSession))
	o.rt.handle("DELETE /api/v1/sessions/{id}", o.endpoint(o.deleteSession))
	o.rt.handle("GET /api/v1/sessions/{id}/context", o.endpoint(o.sessionContext))
	o.rt.handle("POST /api/v1/sessions/{id}/messages", o.endpoint(o.addMessage))
	o.rt.handle("POST /api/v1/sessions/{id}/messages/batch", o.endpoint(o.addBatch))
	o.rt.handle("POST /api/v1/sessions/{id}/commit", o.endpoint(o.commitSession))
	o.rt.handle("POST /api/v1/sessions/{id}/used", o.endpoint(o.recordUsed))
	o.rt.handle("GET /api/v1/tasks/{task_id}", o.endpoint(o.getTask))
}

// decodeOV reads a JSON body for OpenViking; optional bodies may be empty.
// Any decoding problem is INVALID_ARGUMENT, as the server answers request
// validation errors with 400.
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

// sessionOf reads the caller and the session id of a session route.
func sessionOf(r *http.Request) (owner, string, error) {
	o, err := ownerOf(r)
	if err != nil {
		return owner{}, "", err
	}
	id := r.PathValue("id")
	if !message.ValidID(id) {
		return owner{}, "", errInvalidArgument("invalid session_id")
	}
	return o, id, nil
}

func (o *OpenViking) createSession(r *http.Request) (any, error) {
	var req createRequest
	who, err := ownerOf(r)
	if err == nil {
		err = decodeOV(r, &req, true)
	}
	if err == nil {
		err = req.validate()
	}
	if err != nil {
		return nil, err
	}
	if req.SessionID == "" {
		req.SessionID = newUUID()
	}
	v, err := o.store.create(who, req.SessionID, req.policies)
	if err != nil {
		return nil, err
	}
	return map[string]any{"session_id": v.ID, "uri": v.URI, "user": userDict(v),
		"auto_commit_policy": v.AutoCommit, "memory_extraction_config": extraction(v)}, nil
}

func (o *OpenViking) listSessions(r *http.Request) (any, error) {
	who, err := ownerOf(r)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, v := range o.store.list(who) {
		out = append(out, map[string]any{"session_id": v.ID, "uri": v.URI, "is_dir": true, "mod_time": isoTime(v.Updated)})
	}
	return out, nil
}

func (o *OpenViking) getSession(r *http.Request) (any, error) {
	who, id, err := sessionOf(r)
	if err != nil {
		return nil, err
	}
	v, err := o.store.view(who, id, r.URL.Query().Get("auto_create") == "true")
	if err != nil {
		return nil, err
	}
	return sessionMeta(v), nil
}

func (o *OpenViking) deleteSession(r *http.Request) (any, error) {
	who, id, err := sessionOf(r)
	if err == nil {
		err = o.store.remove(who, id)
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"session_id": id}, nil
}

func (o *OpenViking) addMessage(r *http.Request) (any, error) {
	var req message.Request
	who, id, err := sessionOf(r)
	if err == nil {
		err = decodeOV(r, &req, false)
	}
	if err == nil {
		err = invalidIf(req.Validate())
	}
	if err != nil {
		return nil, err
	}
	v, err := o.store.add(who, id, []message.Request{req})
	if err != nil {
		return nil, err
	}
	return map[string]any{"session_id": id, "message_count": len(v.Messages), "pending_tokens": v.PendingTokens()}, nil
}

func (o *OpenViking) addBatch(r *http.Request) (any, error) {
	var req message.Batch
	who, id, err := sessionOf(r)
	if err == nil {
		err = decodeOV(r, &req, false)
	}
	if err == nil {
		err = invalidIf(req.Validate())
	}
	if err != nil {
		return nil, err
	}
	v, err := o.store.add(who, id, req.Messages)
	if err != nil {
		return nil, err
	}
	return map[string]any{"session_id": id, "message_count": len(v.Messages), "added": len(req.Messages),
		"pending_tokens": v.PendingTokens()}, nil
}

// invalidIf turns a validation error into INVALID_ARGUMENT.
func invalidIf(err error) error {
	if err != nil {
		return errInvalidArgument(err.Error())
	}
	return nil
}

func (o *OpenViking) recordUsed(r *http.Request) (any, error) {
	var req struct {
		Contexts []string       `json:"contexts"`
		Skill    map[string]any `json:"skill"`
	}
	who, id, err := sessionOf(r)
	if err == nil {
		err = decodeOV(r, &req, false)
	}
	if err != nil {
		return nil, err
	}
	v, err := o.store.used(who, id, len(req.Contexts), req.Skill != nil)
	if err != nil {
		return nil, err
	}
	return map[string]any{"session_id": id, "contexts_used": v.ContextsUsed, "skills_used": v.SkillsUsed}, nil
}

func (o *OpenViking) getTask(r *http.Request) (any, error) {
	id := r.PathValue("task_id")
	t, ok := o.store.task(id)
	who, err := ownerOf(r)
	if err != nil {
		return nil, err
	}
	if !ok || t.User != who.user {
		return nil, errNotFound("Task not found or expired")
	}
	created := isoTime(t.Created)
	return map[string]any{
		"task_id": t.ID, "task_type": "session_commit", "status": "completed",
		"resource_id": t.SessionID, "created_at": created, "updated_at": created,
		"result": map[string]any{"session_id": t.SessionID, "archived_messages": t.Archived,
			"memory_uri": t.MemoryURI, "memories_extracted": map[string]int{"events": 1}},
	}, nil
}

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
