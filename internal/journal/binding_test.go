package journal

import (
	"os"
	"slices"
	"testing"
	"time"
)

// A journal is adopted by its first primary, stays that primary's however
// its URL is spelled, and is set aside, files and binding, for another;
// the held journal waits for a person until its binding says it was
// resolved.
func TestBindSetsAsideAJournalOfAnotherPrimary(t *testing.T) {
	path := journalPath(t)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	fb, _ := startOV(t)
	j := openAt(t, path, nil)
	call(t, client(j), "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "a"})
	mustOK(t, j.Close())

	if held, _, err := Bind(path, Binding{Primary: "http://one:1933", Since: t0}); err != nil || held != "" {
		t.Fatalf("first bind: held %q, %v; want the journal adopted", held, err)
	}
	if held, _, err := Bind(path, Binding{Primary: "HTTP://ONE:1933/", Since: t0.Add(time.Hour)}); err != nil || held != "" {
		t.Fatalf("bind to the same primary spelled otherwise: held %q, %v", held, err)
	}
	if b, ok, err := ReadBinding(path); err != nil || !ok || !b.Since.Equal(t0) {
		t.Fatalf("binding after a rebind to the same primary: %+v %v %v; want Since kept at %s", b, ok, err, t0)
	}

	held, old, err := Bind(path, Binding{Primary: "http://two:1933", Since: t0.Add(2 * time.Hour)})
	if err != nil || held != path+".held-20250301T140000.000Z" || old.Primary != "HTTP://ONE:1933/" {
		t.Fatalf("bind to another primary: held %q, old %+v, %v", held, old, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the journal is still at %s: %v", path, err)
	}
	if n, err := PendingAt(held); err != nil || n != 1 {
		t.Fatalf("the held journal keeps %d writes (%v), want 1", n, err)
	}
	if paths, err := HeldBeside(path); err != nil || !slices.Equal(paths, []string{held}) {
		t.Fatalf("held beside: %v %v; want [%s]", paths, err, held)
	}
	b, _, err := ReadBinding(held)
	mustOK(t, err)
	b.Resolved = "discarded"
	mustOK(t, WriteBinding(held, b))
	if paths, err := HeldBeside(path); err != nil || len(paths) != 0 {
		t.Fatalf("held beside after the resolution: %v %v; want none", paths, err)
	}
}
