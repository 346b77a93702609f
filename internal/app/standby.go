package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// Kinds of the events the standby side emits.
const (
	kindJournalReplayed = "journal.replayed"
	kindJournalConflict = "journal.conflict"
	kindJournalFailed   = "journal.replay_failed"
)

// errReplayIncomplete stops a restore that would leave journaled writes
// behind the primary's back.
var errReplayIncomplete = errors.New("app: journaled writes are not all on the primary")

// standby is the fallback side of the gateway as clients see it: the write
// journal in front of the translator in front of the fallback itself. It
// exists only when the journal is on (App.standby is nil otherwise).
type standby struct {
	journal *journal.Journal
	next    http.RoundTripper // what the journal passes on to: the translation, or the fallback itself
	target  journal.Target
	timeout time.Duration
	every   time.Duration
	// poke wakes the drain loop: a write was journaled, the primary came
	// back or the routing changed.
	poke chan struct{}

	mu         sync.Mutex
	lastFailed string // the last replay error reported, so a flapping primary is reported once
}

// buildStandby assembles the transport of the gateway's fallback side and
// what it pins, from configuration.
func (a *App) buildStandby(primary, fallback *url.URL) (http.RoundTripper, func(*http.Request) bool, error) {
	c := a.cfg
	var rt http.RoundTripper = a.faults
	if c.Translation.Enabled {
		tr, err := a.newTranslator(c.Translation, fallback, a.faults)
		if err != nil {
			return nil, nil, err
		}
		rt = tr
	}
	if !c.Journal.Enabled {
		return rt, nil, nil
	}
	path := c.Journal.Path
	if path == "" {
		path = filepath.Join(c.Escalation.DataDir, "journal.log")
	}
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return nil, nil, err
	}
	if err := a.bindJournal(path); err != nil {
		return nil, nil, err
	}
	a.held = a.newHeldJournals(path)
	s := &standby{timeout: c.Journal.ReplayTimeout, every: c.Journal.DrainEvery, poke: make(chan struct{}, 1),
		target: journal.Target{BaseURL: primary.String(), Client: &http.Client{Transport: a.faults, Timeout: 10 * time.Second}}}
	j, err := journal.Open(journal.Options{Path: path, Now: a.now, OnConflict: a.onJournalConflict, OnAppend: s.wake,
		ReplayWorkers: c.Journal.ReplayWorkers})
	if err != nil {
		return nil, nil, fmt.Errorf("app: journal: %w", err)
	}
	s.journal, a.standby = j, s
	s.next = rt
	return j.Transport(rt), j.HoldsRequest, nil
}

// wake pokes the drain loop without ever blocking the caller.
func (s *standby) wake() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// drainJournal replays journaled writes as soon as the primary can take
// them and traffic is not isolated on the fallback, so a short outage that
// never reached Level 3, or the writes a restore's split still sends to
// the fallback side, do not wait. After a failed replay it waits one
// period, so a primary refusing connections is not hammered per write.
func (a *App) drainJournal(ctx context.Context) {
	s := a.standby
	t := time.NewTicker(s.every)
	defer t.Stop()
	var retryAt time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.poke:
		}
		if !a.mayDrain() || time.Now().Before(retryAt) {
			continue
		}
		if _, err := a.replayJournal(ctx, "the primary can take them"); err != nil {
			retryAt = time.Now().Add(s.every)
		}
	}
}

// mayDrain holds when there is something to replay, the primary's checks
// say it is usable and traffic is not isolated on the fallback.
func (a *App) mayDrain() bool {
	return a.standby.journal.Pending() > 0 && a.checkers[0].State().Usable() &&
		a.gateway.Routing().Mode != proxy.ModeFallback
}

// beforeRestore replays the journal before traffic steps back to the
// primary; the restore waits for it and stops when it fails. The
// configured verification suite then runs against the primary itself: a
// primary that answers its health checks but not its API stops the
// restore too.
func (a *App) beforeRestore(ctx context.Context) error {
	if a.standby != nil {
		rep, err := a.replayJournal(ctx, "before the restore")
		if err != nil {
			return err
		}
		if rep.Remaining > 0 {
			return fmt.Errorf("%w: %d still journaled", errReplayIncomplete, rep.Remaining)
		}
	}
	return a.verifier.RunSuite(ctx, a.cfg.Upstreams.Primary.URL)
}

// replayJournal runs one bounded replay and reports it as an event, which
// the incident records and its data-loss metric sums.
func (a *App) replayJournal(ctx context.Context, why string) (journal.Report, error) {
	s := a.standby
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	rep, err := s.journal.Replay(ctx, s.target)
	if moved := rep.Replayed + rep.Already + rep.Failed; moved > 0 {
		sev := event.Info
		if rep.Failed > 0 {
			sev = event.Warning
		}
		a.sink.Emit(event.Event{Time: a.now(), Kind: kindJournalReplayed, Source: "journal", Severity: sev,
			Message: fmt.Sprintf("replayed %d journaled writes of %d sessions to the primary (%s): %d applied, %d already there, %d lost, %d waiting",
				moved, rep.Sessions, why, rep.Replayed, rep.Already, rep.Failed, rep.Remaining),
			Fields: map[string]any{"sessions": rep.Sessions, "replayed": rep.Replayed, "already": rep.Already, "lost": rep.Failed,
				"remaining": rep.Remaining, "conflicts": rep.Conflicts}})
	}
	a.reportReplayError(err)
	return rep, err
}

// reportReplayError emits a failed replay once per distinct error, so a
// primary that refuses every second does not flood the timeline.
func (a *App) reportReplayError(err error) {
	s := a.standby
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	s.mu.Lock()
	same := msg == s.lastFailed
	s.lastFailed = msg
	s.mu.Unlock()
	if err == nil || same {
		return
	}
	a.sink.Emit(event.Event{Time: a.now(), Kind: kindJournalFailed, Source: "journal", Severity: event.Warning,
		Message: "journal replay stopped: " + msg, Fields: map[string]any{"error": msg}})
}

func (a *App) onJournalConflict(c journal.Conflict) {
	sev := event.Warning
	if c.Lost {
		sev = event.Critical
	}
	a.sink.Emit(event.Event{Time: a.now(), Kind: kindJournalConflict, Source: "journal", Severity: sev,
		Message: fmt.Sprintf("journal conflict on %s (%s): %s", c.SessionID, c.Kind, c.Detail),
		Fields:  map[string]any{"seq": c.Seq, "session_id": c.SessionID, "conflict": c.Kind, "detail": c.Detail, "lost": c.Lost}})
}

// closeStandby closes the journal file.
func (a *App) closeStandby() {
	if a.standby == nil {
		return
	}
	if err := a.standby.journal.Close(); err != nil {
		a.log.Warn("closing the journal", "err", err)
	}
}

// dataLoss is the incident's data-loss source: the journal's replays
// recorded on its timeline, or nil (not measured) without a journal.
func (a *App) dataLoss() func(incident.Incident) (lost, total int, ok bool) {
	if !a.cfg.Journal.Enabled {
		return nil
	}
	return func(inc incident.Incident) (lost, total int, ok bool) {
		for _, e := range inc.Timeline {
			if e.Kind != kindJournalReplayed {
				continue
			}
			l, good := intField(e.Fields, "lost"), intField(e.Fields, "replayed")+intField(e.Fields, "already")
			lost, total = lost+l, total+l+good
		}
		return lost, total, true
	}
}

// intField reads a count from an entry's fields, which hold float64 once
// read back from the database and int before.
func intField(f map[string]any, key string) int {
	switch v := f[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}

// journalStats is /status's journal section, nil without a journal.
func (a *App) journalStats() func() any {
	if a.standby == nil {
		return nil
	}
	j := a.standby.journal
	return func() any { return j.Stats() }
}

// registerJournalMetrics exports the journal's counters.
func (a *App) registerJournalMetrics() error {
	if a.standby == nil {
		return nil
	}
	j := a.standby.journal
	stat := func(f func(journal.Stats) int) func() float64 { return func() float64 { return float64(f(j.Stats())) } }
	return firstErr(
		metrics.Gauge(a.reg, "lifeboat_journal_pending", "Journaled writes not yet replayed to the primary.", nil,
			stat(func(s journal.Stats) int { return s.Pending })),
		metrics.Counter(a.reg, "lifeboat_journal_appended_total", "Writes acknowledged from the journal.", nil,
			stat(func(s journal.Stats) int { return s.Appended })),
		metrics.Counter(a.reg, "lifeboat_journal_replayed_total", "Journaled writes the primary now holds.", nil,
			stat(func(s journal.Stats) int { return s.Replayed + s.Already })),
		metrics.Counter(a.reg, "lifeboat_journal_lost_total", "Journaled writes the primary refused: lost.", nil,
			stat(func(s journal.Stats) int { return s.Failed })),
		metrics.Gauge(a.reg, "lifeboat_journal_broken", "1 when a journal write or fsync failed and writes are refused.", nil,
			func() float64 { return boolf(j.Stats().Broken) }),
	)
}

// primaryTransport is the gateway's way to the primary: through the fault
// injector, and, with the journal on, past its observer, which remembers
// what the primary says of each session so the journal can carry the
// session on during an outage.
func (a *App) primaryTransport() http.RoundTripper {
	if a.standby == nil {
		return a.faults
	}
	return a.standby.journal.Observe(a.faults, a.standby.next)
}
