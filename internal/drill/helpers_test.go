package drill_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
)

// startLab runs a lab on the test timeline, stopped when the test ends.
func startLab(t *testing.T, o lab.Options) *lab.Lab {
	t.Helper()
	if o.Timings == (lab.Timings{}) {
		o.Timings = lab.TestTimings()
	}
	l, err := lab.Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := l.Stop(ctx); err != nil {
			t.Errorf("lab stop: %v", err)
		}
		t.Logf("lab stopped in %s", time.Since(start))
	})
	return l
}

// transcript collects a drill's narration.
type transcript struct {
	mu    sync.Mutex
	notes []drill.Note
}

func (tr *transcript) add(n drill.Note) {
	tr.mu.Lock()
	tr.notes = append(tr.notes, n)
	tr.mu.Unlock()
}

func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var b strings.Builder
	for _, n := range tr.notes {
		b.WriteString(n.At.Format("15:04:05.000") + " " + n.Tag + ": " + n.Text + "\n")
	}
	return b.String()
}

// has reports whether a note with tag contains text.
func (tr *transcript) has(tag, text string) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, n := range tr.notes {
		if n.Tag == tag && strings.Contains(n.Text, text) {
			return true
		}
	}
	return false
}

// drillLab runs one scenario in l with the lab's options, edited by edit.
func drillLab(t *testing.T, l *lab.Lab, scenario string, edit func(*drill.Options)) (drill.Result, *transcript, error) {
	t.Helper()
	o, err := l.Options(scenario)
	if err != nil {
		t.Fatal(err)
	}
	tr := &transcript{}
	o.OnNote = tr.add
	if edit != nil {
		edit(&o)
	}
	res, err := drill.Run(t.Context(), o)
	t.Logf("%s narration:\n%s", scenario, tr)
	for _, f := range res.Figures {
		t.Logf("%-20s %-40s %-6s %s %s", f.Name, f.Text, f.Target, f.Status, f.Note)
	}
	return res, tr, err
}
