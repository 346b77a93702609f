package journal

import (
	"net/http"
	"testing"
	"time"
)

// TestTaskPollingAcrossTheOutage: a commit the journal takes gives a task
// id the client can poll during the outage (pending), after the replay
// (running, naming the primary's task), and on the primary's side once it
// is back, where the primary's own task answers under the journal's id.
func TestTaskPollingAcrossTheOutage(t *testing.T) {
	fb, j, c := fallbackSide(t)
	addMessages(t, c, fb.URL(), "s", 2)
	task, _ := post(t, c, fb.URL()+"/api/v1/sessions/s/commit", map[string]any{"keep_recent_count": 0})["task_id"].(string)
	if len(task) != len(taskPrefix)+36 {
		t.Fatalf("task id %q", task)
	}
	if got := get(t, c, fb.URL()+tasksPrefix+task); got["status"] != "pending" || got["resource_id"] != "s" {
		t.Fatalf("during the outage: %v", got)
	}
	if r := call(t, c, "GET", fb.URL()+tasksPrefix+task, nil, "X-OpenViking-User", "mallory"); r.status != 404 {
		t.Fatalf("another user polled the task: %d %s", r.status, r.raw)
	}
	primary, _ := startOV(t)
	if rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil || rep.Replayed != 3 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	got := get(t, c, fb.URL()+tasksPrefix+task)
	mapped, _ := got["result"].(map[string]any)["primary_task_id"].(string)
	if got["status"] != "running" || mapped == "" {
		t.Fatalf("after the replay, still on the fallback side: %v", got)
	}
	up := &http.Client{Transport: j.Observe(http.DefaultTransport, nil), Timeout: 5 * time.Second}
	if got := get(t, up, primary.URL()+tasksPrefix+task); got["status"] != "completed" || got["task_id"] != mapped {
		t.Fatalf("on the primary's side: %v", got)
	}
	if r := call(t, up, "GET", primary.URL()+tasksPrefix+taskPrefix+"00000000-0000-4000-8000-000000000000", nil); r.status != 404 || r.code() != "NOT_FOUND" {
		t.Fatalf("an unknown journal task: %d %s", r.status, r.raw)
	}
}
