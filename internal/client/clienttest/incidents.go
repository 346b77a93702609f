package clienttest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Incidents is a real incident store and metric history in one SQLite
// file. The history is 25 minutes of 5-second samples that a real
// history.Sampler took from a scripted source, on synctest's clock, which
// starts at Start; the incidents are recorded from synthetic events
// placed on that history:
//
//   - Outage, closed: the primary failed at Start+5m, the trigger fired
//     10 s later and escalated to L3; traffic moved to the fallback at
//     +5m20s (verified at +5m40s, a Redis snapshot preserved at +5m25s)
//     and came back at +11m. Clients saw failures from +5m to +5m20s.
//   - Open: an L1 incident opened at Start+15m on a rising error rate.
//
// Every clock (the recorder's, the admin API's) reads Now, Start+20m.
type Incidents struct {
	Recorder *incident.Recorder
	History  *history.Sampler
	// Start is the history's beginning; Now is the fixed present.
	Start, Now time.Time
	// Outage and Open are the incidents' IDs.
	Outage, Open string
}

func (in *Incidents) clock() time.Time { return in.Now }

// Offsets of the seeded story from Start.
const (
	historyLength = 25 * time.Minute
	sampleEvery   = 5 * time.Second
	outageStart   = 5 * time.Minute
	clientsFail   = 20 * time.Second // clients saw failures until outageStart+clientsFail
	restored      = 11 * time.Minute
	secondOpens   = 15 * time.Minute
	present       = 20 * time.Minute
)

func seedIncidents(tb testing.TB) *Incidents {
	t, ok := tb.(*testing.T)
	if !ok {
		tb.Fatal("clienttest: Options.Incidents needs a *testing.T")
	}
	path := filepath.Join(t.TempDir(), "lifeboat.db")
	start := recordHistory(t, path)
	in := &Incidents{Start: start, Now: start.Add(present)}
	db, err := incident.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := incident.NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	if in.History, err = history.New(context.Background(), history.Options{DB: db}, history.Settings{}); err != nil {
		t.Fatal(err)
	}
	in.Recorder = incident.NewRecorder(store, incident.Options{Now: in.clock, Downtime: in.History.Downtime})
	runRecorder(t, in.Recorder)
	in.record(t)
	return in
}

// recordHistory runs a real Sampler over the scripted traffic for
// historyLength of synctest's clock and returns when it started. The
// database is opened and closed inside the bubble, as database/sql starts
// a goroutine per DB.
func recordHistory(t *testing.T, path string) time.Time {
	var start time.Time
	synctest.Test(t, func(t *testing.T) {
		start = time.Now()
		db, err := incident.OpenDB(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		sm, err := history.New(context.Background(), history.Options{DB: db, Source: &script{start: start}},
			history.Settings{Interval: sampleEvery})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sm.Run(ctx) }()
		time.Sleep(historyLength + time.Second)
		cancel()
		<-done
	})
	return start
}

// runRecorder runs the recorder's writer until the test ends.
func runRecorder(t *testing.T, r *incident.Recorder) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// record emits the two incidents' events and waits until they are stored.
func (in *Incidents) record(t *testing.T) {
	for _, e := range in.events() {
		in.Recorder.Emit(e)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Recorder.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	in.Open, _ = in.Recorder.Current()
	list, err := in.Recorder.List(ctx, 0)
	if err != nil || len(list) != 2 || in.Open == "" {
		t.Fatalf("clienttest: seeded incidents %+v, open %q: %v", list, in.Open, err)
	}
	in.Outage = list[1].ID
}

// events are what the engines would have emitted.
func (in *Incidents) events() []event.Event {
	at := func(d time.Duration) time.Time { return in.Start.Add(d) }
	down := evidence("primary_down", at(outageStart))
	rising := evidence("error_rate", at(secondOpens-10*time.Second))
	return []event.Event{
		ev(at(outageStart+10*time.Second), level.KindTriggerFired, event.Critical, "trigger primary_down fired", map[string]any{"evidence": down}),
		levelChange(at(outageStart+10*time.Second), "L0", "L3", down),
		ev(at(outageStart+15*time.Second), level.KindFallbackVerified, event.Info, "fallback verified healthy", nil),
		routing(at(outageStart+20*time.Second), "primary", "fallback"),
		ev(at(outageStart+25*time.Second), incident.KindArtifact, event.Info, "redis snapshot",
			map[string]any{"name": "redis_bgsave", "location": "/var/lib/lifeboat/artifacts/dump.rdb"}),
		ev(at(outageStart+40*time.Second), level.KindRollback, event.Info, level.RollbackSuccessful, nil),
		ev(at(outageStart+45*time.Second), incident.KindNotifySent, event.Info, "alert sent to devops", map[string]any{"notifier": "slack"}),
		ev(at(8*time.Minute), level.KindRestoreWaiting, event.Info, "primary healthy; hold-down of 2m started", nil),
		ev(at(10*time.Minute), level.KindRestoreStep, event.Info, "restore step 1/1: 100% to the primary", nil),
		routing(at(restored), "fallback", "primary"),
		ev(at(restored), level.KindRestoreDone, event.Info, "restore completed", nil),
		levelChange(at(restored), "L3", "L0"),
		ev(at(secondOpens), level.KindTriggerFired, event.Warning, "trigger error_rate fired", map[string]any{"evidence": rising}),
		levelChange(at(secondOpens), "L0", "L1", rising),
	}
}

func ev(when time.Time, kind string, sev event.Severity, msg string, f map[string]any) event.Event {
	return event.Event{Time: when, Kind: kind, Source: "level", Severity: sev, Message: msg, Fields: f}
}

func evidence(name string, badSince time.Time) trigger.Evidence {
	return trigger.Evidence{Trigger: name, Kind: string(trigger.Immediate), State: trigger.Firing, Value: 1,
		Threshold: 1, Op: ">=", Unit: "count", Valid: true, BadSince: badSince, Since: badSince}
}

func levelChange(when time.Time, from, to string, evs ...trigger.Evidence) event.Event {
	return ev(when, level.KindLevelChanged, event.Warning, from+" -> "+to,
		map[string]any{"from": from, "to": to, "reason": "clienttest", "evidence": evs, "level": to})
}

func routing(when time.Time, from, to string) event.Event {
	e := ev(when, event.ModeChanged, event.Info, "routing "+from+" -> "+to, map[string]any{"from": from, "to": to})
	e.Source = "proxy"
	return e
}

// script is the traffic behind the history: ten client requests per
// reading, failing four of them while the primary is down and not yet
// isolated; the primary fails everything during the outage and is then
// idle until the restore; CPU peaks during the outage.
type script struct {
	start  time.Time
	totals [3]stats.Counts // client, primary, fallback
}

var scriptTargets = [3]string{history.Client, history.Primary, history.Fallback}

func (s *script) Read(now time.Time) history.Reading {
	d := now.Sub(s.start)
	failing := d > outageStart && d <= outageStart+clientsFail
	isolated := d > outageStart+clientsFail && d <= restored
	lat := [3]time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 80 * time.Millisecond}
	cpu := 40.0
	switch {
	case failing:
		s.add(0, 6, 4)
		s.add(1, 0, 10)
		lat[0], lat[1], cpu = 900*time.Millisecond, 2*time.Second, 95
	case isolated:
		s.add(0, 10, 0)
		s.add(2, 10, 0)
		lat[0], cpu = 80*time.Millisecond, 60
	default:
		s.add(0, 10, 0)
		s.add(1, 10, 0)
	}
	r := history.Reading{CPU: &cpu}
	for i, name := range scriptTargets {
		r.Targets = append(r.Targets, history.TargetReading{Name: name, Totals: s.totals[i],
			AvgLatency: lat[i], P95: 2 * lat[i], P99: 3 * lat[i]})
	}
	return r
}

func (s *script) add(i int, ok, failed int64) {
	s.totals[i].Requests += ok + failed
	s.totals[i].OK += ok
	s.totals[i].ServerErrors += failed
}
