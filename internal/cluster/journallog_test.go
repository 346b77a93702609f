package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// collector gathers what Follow delivers.
type collector struct {
	mu  sync.Mutex
	pos []int64
	got []string
}

func (c *collector) apply(pos int64, p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pos, c.got = append(c.pos, pos), append(c.got, string(p))
	return nil
}

func (c *collector) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.got)
}

func TestJournalLogOrderAcrossReplicas(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{}).JournalLog()
	b := join(t, e.Endpoints(), "b", Options{}).JournalLog()
	var want []string
	for i := range 20 {
		log := a
		if i%2 == 1 {
			log = b
		}
		p := fmt.Sprintf("w%02d", i)
		if _, err := log.Append(ctx(t), []byte(p)); err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}
	var c collector
	fctx, stop := context.WithCancel(ctx(t))
	done := make(chan error, 1)
	go func() { done <- b.Follow(fctx, 0, c.apply) }()
	if _, err := a.Append(ctx(t), []byte("late")); err != nil {
		t.Fatal(err)
	}
	want = append(want, "late")
	waitFor(t, "every record delivered", func() bool { return c.len() == len(want) })
	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("follow ended with %v", err)
	}
	if fmt.Sprint(c.got) != fmt.Sprint(want) {
		t.Fatalf("delivered %v, want %v", c.got, want)
	}
	if err := a.Trim(ctx(t), c.pos[10]); err != nil {
		t.Fatal(err)
	}
	var rest collector
	err := b.Follow(ctx(t), c.pos[3], rest.apply)
	if !errors.Is(err, journal.ErrTrimmed) {
		t.Fatalf("follow from below the trim: %v, want ErrTrimmed", err)
	}
	tctx, cancel := context.WithCancel(ctx(t))
	go func() { _ = b.Follow(tctx, c.pos[10], rest.apply) }()
	defer cancel()
	waitFor(t, "the records after the trim", func() bool { return rest.len() == len(want)-11 })
}
