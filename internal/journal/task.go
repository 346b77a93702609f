package journal

import (
	"net/http"
	"strings"
	"time"
)

// taskPrefix starts the task ids the journal gives its commits, so a
// poll for one is known to be the journal's to answer or to rename.
const taskPrefix = "lifeboat-"

// tasksPrefix is OpenViking's task route.
const tasksPrefix = "/api/v1/tasks/"

// task is a commit the journal took, as its client polls it: the commit
// is replayed later and the primary then gives its own task id.
type task struct {
	session  string
	key      sessionKey // the commit's caller and session: a task is only its caller's
	at       int64      // when the commit was accepted, Unix milliseconds
	replayed bool
	primary  string // the primary's task id, once replayed ("" when it skipped the commit)
}

// taskView answers GET /api/v1/tasks/{id} for a task the journal gave, in
// OpenViking's shape (task_tracker's to_dict): pending until its commit is
// replayed, then running under the primary's id, which the primary
// answers for once it is reachable. A task the journal does not know (it
// gave it before a restart that followed a replay) is NOT_FOUND "Task not
// found or expired", the primary's own terminal answer, so pollers stop.
func (j *Journal) taskView(q *request, id string) (map[string]any, error) {
	j.mu.RLock()
	t := j.st.tasks[id]
	var c task
	if t != nil {
		c = *t
	}
	j.mu.RUnlock()
	if t == nil || c.key != q.key(c.session) {
		return nil, &reqError{kind: ErrNotFound, msg: "Task not found or expired"}
	}
	at := isoMillis(c.at)
	res := map[string]any{"task_id": id, "task_type": "session_commit", "status": "pending",
		"resource_id": c.session, "created_at": at, "updated_at": at, "result": nil, "error": nil}
	if c.replayed {
		res["status"] = "running"
		res["result"] = map[string]any{"primary_task_id": c.primary}
	}
	return res, nil
}

// primaryTask is the primary's id for a task the journal gave, once its
// commit is replayed.
func (j *Journal) primaryTask(id string) (string, bool) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	t := j.st.tasks[id]
	if t == nil || !t.replayed || t.primary == "" {
		return "", false
	}
	return t.primary, true
}

// taskRoute reports whether path polls a task the journal gave.
func taskRoute(method, path string) (string, bool) {
	id, ok := strings.CutPrefix(path, tasksPrefix)
	if !ok || method != http.MethodGet || !strings.HasPrefix(id, taskPrefix) || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// task answers or renames a poll of a journal task on the primary's
// side: once replayed, the primary's own task answers; before, the
// journal does.
func (o *observer) task(r *http.Request, id string) (*http.Response, error) {
	if mapped, ok := o.j.primaryTask(id); ok {
		out := r.Clone(r.Context())
		out.URL.Path = tasksPrefix + mapped
		out.URL.RawPath = ""
		return o.next.RoundTrip(out)
	}
	a := newAnswer(o.j, r)
	a.done(o.j.taskView(capture(r, nil), id))
	a.held(true)
	return a.response(), nil
}

// taskMemory is how long the journal answers for the tasks it gave once
// their commits are replayed, so a client polling across an outage finds
// its task, and memory does not grow without bound.
const taskMemory = 24 * time.Hour

// forgetTasks drops replayed tasks accepted before cutoff (Unix ms).
func (st *state) forgetTasks(cutoff int64) {
	for id, t := range st.tasks {
		if t.replayed && t.at < cutoff {
			delete(st.tasks, id)
		}
	}
}
