package notify

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// planTiers is the plan's chain, one recording notifier per tier.
func planTiers() []Tier {
	return []Tier{
		{Name: "devops", After: 0, Notifiers: []Notifier{&recorder{name: "devops-slack"}}},
		{Name: "director", After: 15 * time.Minute, Notifiers: []Notifier{&recorder{name: "director-pd"}}},
		{Name: "cto", After: 30 * time.Minute, Notifiers: []Notifier{&recorder{name: "cto-pd"}}},
	}
}

var planCadence = map[string]time.Duration{"L1": 30 * time.Second, "L2": 15 * time.Second, "L3": 15 * time.Second}

func newTestChain(t *testing.T, cadence map[string]time.Duration) (*Chain, *fakeSender) {
	t.Helper()
	f := &fakeSender{}
	c, err := NewChain(ChainSettings{Tiers: planTiers(), Cadence: cadence}, f)
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

func notice(level, summary string, at time.Duration) Notice {
	return Notice{Summary: summary, Level: level, Severity: SeverityWarning, Time: t0.Add(at)}
}

// walk ticks every second from (exclusive) to (inclusive), as Run would.
func walk(c *Chain, from, to time.Duration) {
	for d := from + time.Second; d <= to; d += time.Second {
		c.Tick(t0.Add(d))
	}
}

// line renders a send as "offset tier action[ repeat]" for comparison.
func line(s sent) string {
	out := fmt.Sprintf("%s %s %s", s.n.Time.Sub(t0), s.n.Tier, s.n.Action)
	if s.n.Repeat {
		out += " repeat"
	}
	return out
}

func lines(ss []sent) string {
	var out []string
	for _, s := range ss {
		out = append(out, line(s))
	}
	return strings.Join(out, "; ")
}

func TestChainPagesTiersInPlanOrder(t *testing.T) {
	c, f := newTestChain(t, nil)
	c.Open("inc-1", notice("L1", "slow", 0))
	walk(c, 0, 31*time.Minute)
	got := f.take()
	if want := "0s devops trigger; 15m0s director trigger; 30m0s cto trigger"; lines(got) != want {
		t.Fatalf("sends\n got %s\nwant %s", lines(got), want)
	}
	for _, s := range got {
		if s.n.DedupKey != "inc-1" || s.n.Summary != "slow" || len(s.to) != 1 || !strings.HasPrefix(s.to[0], s.n.Tier) {
			t.Fatalf("send %+v", s)
		}
	}
}

func TestCadenceRepeatsPerLevel(t *testing.T) {
	c, f := newTestChain(t, planCadence)
	c.Open("inc-1", notice("L1", "slow", 0))
	walk(c, 0, 95*time.Second)
	want := "0s devops trigger; 30s devops trigger repeat; 1m0s devops trigger repeat; 1m30s devops trigger repeat"
	if got := lines(f.take()); got != want {
		t.Fatalf("L1\n got %s\nwant %s", got, want)
	}
	c.Update("inc-1", notice("L2", "worse", 100*time.Second))
	walk(c, 100*time.Second, 131*time.Second)
	want = "1m40s devops trigger; 1m55s devops trigger repeat; 2m10s devops trigger repeat"
	got := f.take()
	if lines(got) != want || got[0].n.Summary != "worse" || got[2].n.Summary != "worse" {
		t.Fatalf("L2\n got %s\nwant %s", lines(got), want)
	}
	if s := c.State("inc-1"); s.Repeats != 5 || s.Next != NextRepeat || !s.NextAt.Equal(t0.Add(145*time.Second)) {
		t.Fatalf("state %+v", s)
	}
}

func TestRepeatsGoToEveryPagedTierButNotTheNewOne(t *testing.T) {
	c, f := newTestChain(t, map[string]time.Duration{"L2": 5 * time.Minute})
	c.Open("inc-1", notice("L2", "x", 0))
	walk(c, 0, 20*time.Minute)
	want := "0s devops trigger; 5m0s devops trigger repeat; 10m0s devops trigger repeat; " +
		"15m0s director trigger; 15m0s devops trigger repeat; 20m0s devops trigger repeat; 20m0s director trigger repeat"
	if got := lines(f.take()); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}

func TestAckStopsEscalationAndRepeats(t *testing.T) {
	c, f := newTestChain(t, planCadence)
	c.Open("inc-1", notice("L2", "x", 0))
	walk(c, 0, 5*time.Minute)
	f.take()
	c.Ack("inc-1", "alice", t0.Add(5*time.Minute))
	got := f.take()
	if lines(got) != "5m0s devops acknowledge" || got[0].n.By != "alice" {
		t.Fatalf("ack sends %s", lines(got))
	}
	walk(c, 5*time.Minute, 34*time.Minute)
	if got := f.take(); len(got) != 0 {
		t.Fatalf("nothing may be sent while acknowledged: %s", lines(got))
	}
	s := c.State("inc-1")
	if s.AckedBy != "alice" || s.Next != NextRetrigger || !s.NextAt.Equal(t0.Add(35*time.Minute)) || len(s.Paged) != 1 {
		t.Fatalf("state %+v", s)
	}
}

func TestAckTimeoutRetriggersAndResumesEscalation(t *testing.T) {
	c, f := newTestChain(t, map[string]time.Duration{"L2": 4 * time.Minute})
	c.Open("inc-1", notice("L2", "x", 0))
	walk(c, 0, 5*time.Minute)
	c.Ack("inc-1", "alice", t0.Add(5*time.Minute))
	f.take()
	walk(c, 5*time.Minute, 60*time.Minute)
	// Acknowledged for 30 minutes, so the director is due at 15+30 = 45m
	// of wall time and the CTO at 60m. Each tier repeats from its own
	// page: the director at 49m, not on the devops tier's 47m.
	want := "35m0s devops trigger; 39m0s devops trigger repeat; 43m0s devops trigger repeat; " +
		"45m0s director trigger; 47m0s devops trigger repeat; 49m0s director trigger repeat; " +
		"51m0s devops trigger repeat; 53m0s director trigger repeat; 55m0s devops trigger repeat; 57m0s director trigger repeat; " +
		"59m0s devops trigger repeat; 1h0m0s cto trigger"
	if got := lines(f.take()); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if s := c.State("inc-1"); s.Retriggers != 1 || s.AckedBy != "" || len(s.Paged) != 3 {
		t.Fatalf("state %+v", s)
	}
}

func TestRepeatedAckRestartsTimeoutQuietly(t *testing.T) {
	c, f := newTestChain(t, nil)
	c.Open("inc-1", notice("L1", "x", 0))
	c.Ack("inc-1", "alice", t0.Add(time.Minute))
	c.Ack("inc-1", "bob", t0.Add(20*time.Minute))
	walk(c, 20*time.Minute, 49*time.Minute)
	if got := lines(f.take()); got != "0s devops trigger; 1m0s devops acknowledge" {
		t.Fatalf("sends %s", got)
	}
	walk(c, 49*time.Minute, 50*time.Minute)
	if got := lines(f.take()); got != "50m0s devops trigger" {
		t.Fatalf("re-trigger 30m after the latest ack, got %s", got)
	}
}

func TestResolveReachesEveryPagedTierOnce(t *testing.T) {
	c, f := newTestChain(t, planCadence)
	c.Open("inc-1", notice("L3", "x", 0))
	walk(c, 0, 31*time.Minute)
	f.take()
	c.Resolve("inc-1", notice("L0", "back on primary", 32*time.Minute))
	got := f.take()
	if want := "32m0s devops resolve; 32m0s director resolve; 32m0s cto resolve"; lines(got) != want {
		t.Fatalf("\n got %s\nwant %s", lines(got), want)
	}
	if got[0].n.Summary != "back on primary" || got[0].n.DedupKey != "inc-1" {
		t.Fatalf("resolve notice %+v", got[0].n)
	}
	walk(c, 32*time.Minute, 40*time.Minute)
	c.Resolve("inc-1", notice("L0", "again", 41*time.Minute))
	c.Ack("inc-1", "late", t0.Add(41*time.Minute))
	if got := f.take(); len(got) != 0 || c.State("inc-1").Open {
		t.Fatalf("a resolved incident is forgotten: %s", lines(got))
	}
}

func TestUpdateTellsPagedTiersOnly(t *testing.T) {
	c, f := newTestChain(t, nil)
	c.Open("inc-1", notice("L2", "x", 0))
	walk(c, 0, 16*time.Minute)
	f.take()
	c.Update("inc-1", notice("L3", "ROLLBACK SUCCESSFUL", 17*time.Minute))
	got := f.take()
	if lines(got) != "17m0s devops trigger; 17m0s director trigger" || got[1].n.Summary != "ROLLBACK SUCCESSFUL" {
		t.Fatalf("sends %s", lines(got))
	}
	if s := c.State("inc-1"); s.Level != "L3" || s.Next != NextPage || s.NextTier != "cto" || !s.NextAt.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("state %+v", s)
	}
}

func TestUpdateWhileAckedInformsButStaysQuiet(t *testing.T) {
	c, f := newTestChain(t, planCadence)
	c.Open("inc-1", notice("L2", "x", 0))
	c.Ack("inc-1", "alice", t0.Add(time.Minute))
	c.Update("inc-1", notice("L3", "y", 2*time.Minute))
	walk(c, 2*time.Minute, 20*time.Minute)
	if got := lines(f.take()); got != "0s devops trigger; 1m0s devops acknowledge; 2m0s devops trigger" {
		t.Fatalf("sends %s", got)
	}
}

func TestOpenTwiceIsUpdateAndUpdateUnknownOpens(t *testing.T) {
	c, f := newTestChain(t, nil)
	c.Update("inc-9", notice("L1", "x", 0))
	c.Open("inc-9", notice("L2", "y", time.Minute))
	if got := lines(f.take()); got != "0s devops trigger; 1m0s devops trigger" {
		t.Fatalf("sends %s", got)
	}
	if s := c.State("inc-9"); !s.Opened.Equal(t0) || s.Level != "L2" {
		t.Fatalf("state %+v", s)
	}
}

func TestChainSettingsAreChecked(t *testing.T) {
	ok := []Tier{{Name: "a"}}
	cases := map[string]ChainSettings{
		"no tiers":   {},
		"no name":    {Tiers: []Tier{{}}},
		"duplicate":  {Tiers: []Tier{{Name: "a"}, {Name: "a"}}},
		"unordered":  {Tiers: []Tier{{Name: "a", After: time.Minute}, {Name: "b"}}},
		"negative":   {Tiers: []Tier{{Name: "a", After: -time.Second}}},
		"cadence":    {Tiers: ok, Cadence: map[string]time.Duration{"L1": -1}},
		"ackTimeout": {Tiers: ok, AckTimeout: -1},
	}
	for name, s := range cases {
		if _, err := NewChain(s, &fakeSender{}); !errors.Is(err, ErrSettings) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := NewChain(ChainSettings{Tiers: ok}, nil); !errors.Is(err, ErrSettings) {
		t.Errorf("nil sender: err = %v", err)
	}
}

func TestChainCopiesSettings(t *testing.T) {
	tiers := planTiers()
	cad := map[string]time.Duration{"L1": time.Minute}
	c, err := NewChain(ChainSettings{Tiers: tiers, Cadence: cad}, &fakeSender{})
	if err != nil {
		t.Fatal(err)
	}
	tiers[0].Name, cad["L1"] = "changed", time.Second
	c.Open("i", notice("L1", "x", 0))
	if s := c.State("i"); s.Paged[0].Tier != "devops" || !s.NextAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("state %+v", s)
	}
	if c.s.AckTimeout != 30*time.Minute || c.s.Interval != time.Second {
		t.Fatalf("defaults %+v", c.s)
	}
}

func TestAckWithoutTimeStillAcknowledges(t *testing.T) {
	c, f := newTestChain(t, planCadence)
	c.Open("inc-1", Notice{Level: "L2"}) // zero time: now
	c.Ack("inc-1", "alice", time.Time{})
	if s := c.State("inc-1"); s.AckedBy != "alice" || s.AckedAt.IsZero() || s.Next != NextRetrigger {
		t.Fatalf("state %+v", s)
	}
	if got := f.take(); len(got) != 2 || got[1].n.Action != Acknowledge {
		t.Fatalf("sends %s", lines(got))
	}
}
