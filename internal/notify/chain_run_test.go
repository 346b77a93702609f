package notify

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Run drives the plan's chain on its own ticker through a dispatcher.
func TestChainRunWalksThePlan(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := New(Options{})
		startDispatcher(t, d)
		tiers := planTiers()
		c, err := NewChain(ChainSettings{Tiers: tiers, Cadence: planCadence}, d)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { c.Run(ctx) })
		start := time.Now()
		c.Open("inc-1", Notice{Level: "L1", Summary: "slow", Time: start})
		time.Sleep(31 * time.Minute)
		synctest.Wait()
		cancel()
		wg.Wait()
		for i, wantFirst := range []time.Duration{0, 15 * time.Minute, 30 * time.Minute} {
			got := tiers[i].Notifiers[0].(*recorder).notices()
			if len(got) == 0 || got[0].Repeat || got[0].Time.Sub(start) != wantFirst || got[0].Tier != tiers[i].Name {
				t.Fatalf("tier %s: first notice %+v", tiers[i].Name, got)
			}
			// L1 repeats every 30s from each tier's own page until 31m.
			wantRepeats := int((31*time.Minute - wantFirst) / (30 * time.Second))
			if len(got)-1 != wantRepeats {
				t.Fatalf("tier %s: %d repeats, want %d", tiers[i].Name, len(got)-1, wantRepeats)
			}
		}
		if s := c.State("inc-1"); len(s.Paged) != 3 || s.Repeats != 62+32+2 {
			t.Fatalf("state %+v", s)
		}
	})
}

// All methods may be called at once; run with -race.
func TestChainIsSafeForConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := New(Options{})
		startDispatcher(t, d)
		c, err := NewChain(ChainSettings{Tiers: planTiers(), Cadence: planCadence}, d)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 8 {
			id := string(rune('a' + i))
			wg.Go(func() {
				c.Open(id, notice("L2", "x", 0))
				for s := range 100 {
					c.Tick(t0.Add(time.Duration(s) * 20 * time.Second))
					_ = c.State(id)
				}
				c.Ack(id, "me", t0.Add(time.Hour))
				c.Update(id, notice("L3", "y", time.Hour))
				c.Resolve(id, notice("L0", "z", time.Hour))
			})
		}
		wg.Wait()
		synctest.Wait()
		for i := range 8 {
			if c.State(string(rune('a' + i))).Open {
				t.Fatal("every incident was resolved")
			}
		}
	})
}
