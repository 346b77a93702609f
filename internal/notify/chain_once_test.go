package notify

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// An L3 opens, then its rollback verdict arrives 40 ms later: one page,
// not two. Only a rise in level is a new state that pages again; every
// notice carries the incident's state number.
func TestOneNoticePerTierPerStateChange(t *testing.T) {
	c, f := newTestChain(t, nil)
	c.Open("inc-1", notice("L1", "slow", 0))
	c.Update("inc-1", notice("L1", "slow, still", time.Second))
	c.Update("inc-1", notice("L3", "rolled back", 2*time.Second))
	c.Update("inc-1", notice("L3", "rolled back — ROLLBACK SUCCESSFUL", 2*time.Second+40*time.Millisecond))
	c.Ack("inc-1", "alice", t0.Add(time.Minute))
	c.Resolve("inc-1", notice("L0", "back", 2*time.Minute))
	got := f.take()
	if want := "0s devops trigger; 2s devops trigger; 1m0s devops acknowledge; 2m0s devops resolve"; lines(got) != want {
		t.Fatalf("\n got %s\nwant %s", lines(got), want)
	}
	for i, s := range got {
		if s.n.Seq != i+1 {
			t.Errorf("notice %d (%s) has sequence %d, want %d", i, line(s), s.n.Seq, i+1)
		}
	}
	if got[2].n.Summary != "rolled back — ROLLBACK SUCCESSFUL" {
		t.Errorf("the acknowledgement says %q, want the latest summary", got[2].n.Summary)
	}
}

// A restart re-opens the incident and re-applies its acknowledgement, as
// the app does: with the ledger, nobody hears anything twice, and the
// escalation goes on from where it stood.
func TestLedgerKeepsPagingAcrossRestart(t *testing.T) {
	ledger := FileLedger{Path: filepath.Join(t.TempDir(), "notify.json")}
	settings := ChainSettings{Tiers: planTiers(), Cadence: planCadence, Ledger: ledger}
	f := &fakeSender{}
	c, err := NewChain(settings, f)
	if err != nil {
		t.Fatal(err)
	}
	c.Open("inc-1", notice("L3", "down", 0))
	walk(c, 0, 16*time.Minute)
	c.Ack("inc-1", "bob", t0.Add(16*time.Minute))
	before := len(f.take())

	f2 := &fakeSender{}
	again, err := NewChain(settings, f2)
	if err != nil {
		t.Fatal(err)
	}
	again.Open("inc-1", notice("L3", "down", 0))
	again.Ack("inc-1", "bob", t0.Add(16*time.Minute))
	walk(again, 16*time.Minute, 20*time.Minute)
	if got := f2.take(); len(got) != 0 {
		t.Fatalf("after the restart (%d notices before it): %s, want nothing", before, lines(got))
	}
	if s := again.State("inc-1"); len(s.Paged) != 2 || s.AckedBy != "bob" {
		t.Fatalf("state after restart %+v, want devops and director paged, acknowledged by bob", s)
	}
	again.Resolve("inc-1", notice("L0", "back", 21*time.Minute))
	if got := lines(f2.take()); got != "21m0s devops resolve; 21m0s director resolve" {
		t.Fatalf("resolve after restart: %s", got)
	}
	third, err := NewChain(settings, &fakeSender{})
	if err != nil || third.State("inc-1").Open {
		t.Fatalf("a resolved incident is still in the ledger: %v %+v", err, third.State("inc-1"))
	}
}

// A ledger that cannot be read refuses the chain with a clear error.
func TestLedgerUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.json")
	if err := writeFile(path, "{not json"); err != nil {
		t.Fatal(err)
	}
	_, err := NewChain(ChainSettings{Tiers: planTiers(), Ledger: FileLedger{Path: path}}, &fakeSender{})
	if !errors.Is(err, ErrLedger) {
		t.Fatalf("NewChain with a corrupt ledger: %v, want ErrLedger", err)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
