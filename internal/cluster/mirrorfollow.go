package cluster

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// drain adds to evs the events the watch delivers in quick succession
// (each within drainQuiet of the last, for at most drainMost in all), and
// says whether the watch broke meanwhile. A follower that falls behind a
// decider publishing on every entry then imports each incident's newest
// document once, not every version on the way: each import rewrites the
// whole timeline, so importing every version of a growing incident would
// leave it further behind the longer the incident ran.
func drain(w clientv3.WatchChan, evs []*clientv3.Event) ([]*clientv3.Event, bool) {
	quiet := time.NewTimer(drainQuiet)
	defer quiet.Stop()
	end := time.Now().Add(drainMost)
	for time.Now().Before(end) {
		select {
		case resp, ok := <-w:
			if !ok || resp.Err() != nil {
				return evs, true
			}
			evs = append(evs, resp.Events...)
			quiet.Reset(drainQuiet)
		case <-quiet.C:
			return evs, false
		}
	}
	return evs, false
}

// drainQuiet and drainMost bound how long a follower gathers documents
// before importing: a few milliseconds of lag, against imports that each
// cost the whole timeline.
const (
	drainQuiet = 5 * time.Millisecond
	drainMost  = 250 * time.Millisecond
)

// newest keeps the last put of each key in evs, in the order of those
// last puts.
func newest(evs []*clientv3.Event) []*clientv3.Event {
	last := make(map[string]int, len(evs))
	for i, ev := range evs {
		if ev.Type == clientv3.EventTypePut {
			last[string(ev.Kv.Key)] = i
		}
	}
	out := make([]*clientv3.Event, 0, len(last))
	for i, ev := range evs {
		if ev.Type == clientv3.EventTypePut && last[string(ev.Kv.Key)] == i {
			out = append(out, ev)
		}
	}
	return out
}

// apply imports the newest document of each incident a follower's watch
// delivered.
func (x *Mirror) apply(ctx context.Context, evs []*clientv3.Event) {
	if x.m.IsDecider() {
		return
	}
	for _, ev := range newest(evs) {
		if err := x.r.Import(ctx, ev.Kv.Value); err != nil {
			x.failed("import "+string(ev.Kv.Key), err)
		}
	}
}
