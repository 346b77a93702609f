package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// deciderAndFollower starts etcd and two replicas: a, which decides, and
// b, which joined after a won and follows.
func deciderAndFollower(t *testing.T) (*etcdtest.Server, *Member, *Member) {
	t.Helper()
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	return e, a, join(t, e.Endpoints(), "b", Options{})
}

// pages counts what a chain hands over, one line per tier told.
type pages struct {
	mu  sync.Mutex
	got []string
}

func (p *pages) Send(n notify.Notice, _ []notify.Notifier) {
	p.mu.Lock()
	p.got = append(p.got, n.Tier+" "+string(n.Action)+" "+n.Level)
	p.mu.Unlock()
}

func (p *pages) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.got
	p.got = nil
	return out
}

// nobody is a tier's destination; pages counts what is sent to it.
type nobody struct{}

func (nobody) Name() string                                { return "nobody" }
func (nobody) Notify(context.Context, notify.Notice) error { return nil }

// chainOn builds the chain a decider builds when it takes over: two tiers,
// the second paged five minutes in, state kept in m's ledger.
func chainOn(t *testing.T, m *Member, out notify.Sender, failed func(error)) *notify.Chain {
	t.Helper()
	l, err := NewLedger(m, "chain")
	if err != nil {
		t.Fatal(err)
	}
	to := []notify.Notifier{nobody{}}
	tiers := []notify.Tier{{Name: "devops", Notifiers: to}, {Name: "director", After: 5 * time.Minute, Notifiers: to}}
	c, err := notify.NewChain(notify.ChainSettings{Tiers: tiers, Ledger: l, OnLedgerError: failed}, out)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLedgerPagesOnceAcrossTakeOver pages devops, kills the decider, and
// lets the next one re-open the same incident as the app does after a
// take-over: devops hears nothing twice and the director is paged once,
// on time, by the new decider.
func TestLedgerPagesOnceAcrossTakeOver(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	down := notify.Notice{Action: notify.Trigger, Summary: "primary down", Level: "L3", Time: t0}

	var first pages
	ca := chainOn(t, a, &first, func(err error) { t.Errorf("decider's ledger: %v", err) })
	ca.Open("INC-1", down)
	ca.Tick(t0.Add(time.Minute))
	if got := first.take(); len(got) != 1 || got[0] != "devops trigger L3" {
		t.Fatalf("first decider paged %q, want devops once", got)
	}
	kill(a)
	waitFor(t, "b decides", b.IsDecider)

	var second pages
	cb := chainOn(t, b, &second, func(err error) { t.Errorf("new decider's ledger: %v", err) })
	cb.Open("INC-1", down)
	cb.Tick(t0.Add(2 * time.Minute))
	if got := second.take(); len(got) != 0 {
		t.Fatalf("new decider paged %q again", got)
	}
	cb.Tick(t0.Add(5 * time.Minute))
	if got := second.take(); len(got) != 1 || got[0] != "director trigger L3" {
		t.Fatalf("new decider paged %q at 5m, want the director once", got)
	}
	if s := cb.State("INC-1"); len(s.Paged) != 2 {
		t.Fatalf("chain state after take-over %+v, want both tiers paged", s)
	}
}

// TestLedgerFenced refuses a follower's save, and an old decider's once
// etcd has ended its term, so neither can roll back who was paged.
func TestLedgerFenced(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	la, _ := NewLedger(a, "chain")
	lb, _ := NewLedger(b, "chain")
	kept := map[string]json.RawMessage{"INC-1": json.RawMessage(`{"seq":1}`)}
	if err := la.Save(kept); err != nil {
		t.Fatal(err)
	}
	if err := lb.Save(nil); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("follower saved: %v", err)
	}
	if _, err := b.c.Delete(ctx(t), a.term.Load().key); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b decides", b.IsDecider)
	if err := la.Save(nil); !errors.Is(err, ErrFenced) {
		t.Fatalf("old decider saved: %v", err)
	}
	on, err := lb.Load()
	if err != nil || len(on) != 1 || string(on["INC-1"]) != `{"seq":1}` {
		t.Fatalf("ledger after refused saves: %v, %v", on, err)
	}
	if _, err := NewLedger(a, ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty ledger name: %v", err)
	}
}
