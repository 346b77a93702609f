package drill

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/load"
	"github.com/lifeboat-sre/lifeboat/internal/words"
)

// The plan's targets ("Success Metrics"), for figures the incident does
// not provide.
const (
	targetDowntime = 30 * time.Second
	targetDataLoss = 0.01
)

// measure reads the drill's incident, checks the writes and judges
// every figure.
func (d *run) measure(ctx context.Context, lr load.Result) {
	inc, found := d.incident(ctx)
	if found {
		// The drill knows when it injected the fault; the gateway may
		// not (a simulator's fault), so the plan's durations run from it.
		inc.Metrics = incident.MeasureFrom(inc, d.res.Injected, "fault injected by the drill", time.Now())
		d.res.Incident, d.res.Trigger, d.res.MaxLevel, d.res.Verdict = inc.ID, inc.Trigger, inc.MaxLevel, inc.Rollback
	}
	d.awaitJournal(ctx)
	loss := checkWrites(ctx, d.o.Client, d.primary, d.o.Header, lr.Acked, lr.Unacked)
	loss = checkUploads(ctx, d.o.Client, d.primary, d.o.Header, lr.Uploads, loss)
	d.res.Figures = figures(inc, found, lr, loss, d.o.DryRun)
	d.res.Ended = time.Now()
}

// journalWait bounds the wait for the gateway's write journal to replay
// what it holds before the writes are read back from the primary.
const journalWait = 30 * time.Second

// awaitJournal waits until the gateway's journal holds nothing the primary
// has not received: writes journaled during the restore's split are
// replayed moments after it, and reading them back before would count
// them lost. A gateway without a journal is not waited for.
func (d *run) awaitJournal(ctx context.Context) {
	deadline := time.Now().Add(journalWait)
	for {
		pending, ok := d.journalPending(ctx)
		switch {
		case !ok || pending == 0:
			return
		case time.Now().After(deadline):
			d.sayAs("warning", "the gateway's journal still holds %d writes after %s; they count as lost", pending, journalWait)
			return
		}
		_ = sleep(ctx, d.o.Poll)
	}
}

func (d *run) journalPending(ctx context.Context) (int, bool) {
	st, err := d.cl.Status(ctx)
	if err != nil {
		return 0, false
	}
	j, ok := st["journal"].(map[string]any)
	if !ok {
		return 0, false
	}
	p, ok := j["pending"].(float64)
	return int(p), ok
}

// incident finds the incident opened since the drill started, waits for
// it to close and for the metric history to cover its end, and reads it.
func (d *run) incident(ctx context.Context) (incident.Incident, bool) {
	id, ok := d.findIncident(ctx)
	if !ok {
		return incident.Incident{}, false
	}
	inc, err := d.cl.Incident(ctx, id)
	for wait := time.Now().Add(d.o.HistoryWait + 10*d.o.Poll); err == nil && inc.Open && time.Now().Before(wait); {
		_ = sleep(ctx, d.o.Poll)
		inc, err = d.cl.Incident(ctx, id)
	}
	if err != nil {
		d.sayAs("warning", "cannot read incident %s: %v", id, err)
		return incident.Incident{ID: id}, false
	}
	if !inc.Open {
		_ = sleep(ctx, time.Until(inc.ClosedAt.Add(d.o.HistoryWait)))
		if again, err := d.cl.Incident(ctx, id); err == nil {
			inc = again
		}
	}
	d.catchUp(ctx)
	d.say("incident %s: %s, first trigger %s, max level %s, %s", inc.ID, openWord(inc.Open),
		words.OrNone(inc.Trigger, "none"), inc.MaxLevel, words.OrNone(inc.Rollback, "no rollback verdict"))
	return inc, true
}

// catchUp narrates the events that came after the last poll, such as the
// alert that the incident is resolved.
func (d *run) catchUp(ctx context.Context) {
	if st, err := readStatus(ctx, d.cl); err == nil {
		for _, n := range d.feed.next(st.Events) {
			d.note(n)
		}
	}
}

func (d *run) findIncident(ctx context.Context) (string, bool) {
	list, err := d.cl.Incidents(ctx, 20)
	if err != nil {
		d.sayAs("warning", "cannot list incidents: %v", err)
		return "", false
	}
	for _, inc := range list { // newest first
		if !inc.OpenedAt.Before(d.res.Started) {
			return inc.ID, true
		}
	}
	return "", false
}

// figures are the plan's metrics for this drill, in report order.
func figures(inc incident.Incident, found bool, lr load.Result, loss lossCheck, dry bool) []incident.Metric {
	m := inc.Metrics
	if !found {
		m = neverOpened()
	}
	list := []incident.Metric{m.Detection, m.Containment, m.Recovery, m.Restore, m.Downtime,
		clientDowntime(lr), loss.metric(), m.Manual}
	if dry {
		for i, f := range list {
			if needsTraffic(f.Name) {
				list[i] = notJudged(f)
			}
		}
	}
	return list
}

// neverOpened are the incident's metrics when the gateway never left L0:
// every stage was needed and none was reached.
func neverOpened() incident.Metrics {
	miss := func(name, target string, limit float64) incident.Metric {
		return incident.Metric{Name: name, Unit: incident.UnitSeconds, Text: incident.StatusNotReached, Target: target,
			Limit: limit, Status: incident.StatusNotReached, Note: "no incident opened: the gateway never left L0"}
	}
	return incident.Metrics{
		Detection: miss("detection", "< 30s", 30), Containment: miss("containment", "< 2m", 120),
		Recovery: miss("recovery", "< 5m", 300), Restore: miss("restore", "< 10m", 600),
		Downtime: incident.Metric{Name: "downtime", Unit: incident.UnitSeconds, Text: incident.StatusUnmeasured,
			Target: "< 30s", Limit: 30, Status: incident.StatusUnmeasured, Note: "no incident to measure it over"},
		Manual: incident.Metric{Name: "manual_intervention", Unit: incident.UnitYesNo, Text: "no", Measured: true,
			Target: "no", Pass: true, Status: incident.StatusPass},
	}
}

// clientDowntime is the user-visible downtime as the drill's own clients
// saw it: every second of load in which a request failed (no answer, or a
// status of 400 or more), whoever answered it.
func clientDowntime(lr load.Result) incident.Metric {
	m := incident.Metric{Name: "client_downtime", Unit: incident.UnitSeconds, Target: "< 30s", Limit: targetDowntime.Seconds()}
	if lr.Total == 0 {
		m.Text, m.Status, m.Note = incident.StatusUnmeasured, incident.StatusUnmeasured, "the load sent nothing"
		return m
	}
	s := summarize(lr)
	d := time.Duration(s.FailingSeconds) * time.Second
	m.Value, m.Measured, m.Pass = d.Seconds(), true, d < targetDowntime
	m.Text = fmt.Sprintf("%s (%d of %d seconds saw failures)", d, s.FailingSeconds, s.Seconds)
	m.Status = passStatus(m.Pass)
	m.Note = failuresByAnswer(lr)
	return m
}

// failuresByAnswer lists the failed requests by HTTP status or transport
// error, most frequent first: a 404 from a fallback that does not speak
// the primary's API reads differently from a 502.
func failuresByAnswer(lr load.Result) string {
	type count struct {
		what string
		n    int64
	}
	var all []count
	for status, n := range lr.Status {
		if status >= 400 {
			all = append(all, count{strconv.Itoa(status), n})
		}
	}
	for class, n := range lr.Errors {
		all = append(all, count{string(class), n})
	}
	if len(all) == 0 {
		return ""
	}
	slices.SortFunc(all, func(a, b count) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.what, b.what)) })
	parts := make([]string, len(all))
	for i, c := range all {
		parts[i] = fmt.Sprintf("%s ×%d", c.what, c.n)
	}
	return "failed requests by answer: " + strings.Join(parts, ", ")
}

// needsTraffic names the figures a dry run cannot produce: traffic never
// moves, so nothing is contained, recovered or spared.
func needsTraffic(name string) bool {
	switch name {
	case "containment", "recovery", "downtime", "client_downtime":
		return true
	}
	return false
}

func notJudged(f incident.Metric) incident.Metric {
	f.Pass, f.Measured, f.Status = false, false, incident.StatusUnmeasured
	f.Note = "dry run: traffic did not move"
	if f.Measured {
		f.Note += fmt.Sprintf(" (it read %s)", f.Text)
	}
	f.Text = "not judged (dry run)"
	return f
}

func passStatus(pass bool) string {
	if pass {
		return incident.StatusPass
	}
	return incident.StatusFail
}

func openWord(open bool) string {
	if open {
		return "still open"
	}
	return "closed"
}
