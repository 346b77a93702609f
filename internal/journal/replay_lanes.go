package journal

import (
	"cmp"
	"context"
	"slices"
	"sync"
)

// defaultReplayWorkers is how many lanes replay at once when
// Options.ReplayWorkers is 0: a primary taking 5-20 ms per write then
// drains 400-1,600 writes a second instead of 50-200.
const defaultReplayWorkers = 8

// resourceLane is the key of the lane of resource ops; no session id is
// empty, so it never names a session's lane.
const resourceLane = ""

// laneOf names the lane o is replayed in: its session's, or the resources'.
func laneOf(o *op) string {
	if o.rec.sessionless() {
		return resourceLane
	}
	return o.rec.Session
}

// lane holds the ops of one lane taken by this replay and not yet started,
// in sequence order.
type lane struct {
	key string
	ops []*op
}

// scheduler is the state of one Replay call: it takes pending ops from the
// journal into lanes and runs up to workers lanes at once, one goroutine
// each. The goroutine calling run owns them all and waits for them.
type scheduler struct {
	j       *Journal
	p       primary
	workers int
	wake    chan struct{} // an op or a lane ended; capacity 1, sends never block
	wg      sync.WaitGroup
	seen    uint64 // the highest sequence number taken; only run's goroutine uses it

	mu       sync.Mutex // guards the fields below
	lanes    map[string]*lane
	ready    []*lane             // lanes with ops and no goroutine, in order of their first op
	running  int                 // lanes with a goroutine
	sessions map[sessionKey]bool // sessions this replay moved writes of
	err      error               // the first error: no op starts after it
	rep      Report
}

func newScheduler(j *Journal, p primary) *scheduler {
	return &scheduler{j: j, p: p, workers: j.replayWorkers(), wake: make(chan struct{}, 1), lanes: map[string]*lane{}}
}

// replayWorkers is Options.ReplayWorkers with its default.
func (j *Journal) replayWorkers() int {
	if j.o.ReplayWorkers <= 0 {
		return defaultReplayWorkers
	}
	return j.o.ReplayWorkers
}

func (s *scheduler) run(ctx context.Context) error {
	for {
		if err := s.drain(ctx); err != nil {
			return err
		}
		if idle, err := s.j.resetIfIdle(); idle || err != nil {
			return err
		}
	}
}

// drain replays ops, taking those appended meanwhile, until none is left
// to take and every lane has ended, or until the first error once the
// ops in flight are finished.
func (s *scheduler) drain(ctx context.Context) error {
	defer s.wg.Wait()
	for {
		if err := ctx.Err(); err != nil {
			s.fail(err)
		}
		s.take()
		s.mu.Lock()
		s.startLocked(ctx)
		running, err := s.running, s.err
		s.mu.Unlock()
		if running == 0 {
			return err
		}
		<-s.wake
	}
}

// take moves the ops appended since the last look into their lanes; a
// lane that had none is queued to start.
func (s *scheduler) take() {
	if s.failed() {
		return
	}
	ops, err := s.j.pendingAfter(s.seen)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failLocked(err)
		return
	}
	for _, o := range ops {
		s.seen = o.rec.Seq
		l := s.lanes[laneOf(o)]
		if l == nil {
			l = &lane{key: laneOf(o)}
			s.lanes[l.key] = l
			s.ready = append(s.ready, l)
		}
		l.ops = append(l.ops, o)
	}
}

// startLocked gives ready lanes a goroutine while fewer than workers run.
func (s *scheduler) startLocked(ctx context.Context) {
	for s.err == nil && s.running < s.workers && len(s.ready) > 0 {
		l := s.ready[0]
		s.ready[0], s.ready = nil, s.ready[1:]
		s.running++
		s.wg.Add(1)
		go s.runLane(ctx, l)
	}
}

// runLane replays l's ops one at a time, including those taken while it
// runs, until it has none or the replay stops.
func (s *scheduler) runLane(ctx context.Context, l *lane) {
	defer s.wg.Done()
	defer s.notify()
	r := &replayer{j: s.j, p: s.p, views: map[string]pview{}}
	for o := s.next(ctx, l); o != nil; o = s.next(ctx, l) {
		res, err := r.replay(ctx, o)
		if err != nil && ctx.Err() != nil {
			err = ctx.Err() // the request failed because the caller gave up
		}
		s.record(o, res, err)
		s.notify()
	}
}

// next pops l's next op. With none, or once the replay stops, it ends the
// lane and returns nil; the ops it leaves stay pending in the journal.
func (s *scheduler) next(ctx context.Context, l *lane) *op {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		s.failLocked(err)
	}
	if s.err == nil && len(l.ops) > 0 {
		o := l.ops[0]
		l.ops[0], l.ops = nil, l.ops[1:]
		return o
	}
	delete(s.lanes, l.key)
	s.running--
	return nil
}

func (s *scheduler) notify() {
	select {
	case s.wake <- struct{}{}:
	default: // a wake is already pending; run reads the state after it
	}
}

func (s *scheduler) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failLocked(err)
}

func (s *scheduler) failLocked(err error) {
	if s.err == nil {
		s.err = err
	}
}

func (s *scheduler) failed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err != nil
}

// record counts how o ended, or stops the replay on err, and passes a
// conflict on to OnConflict, outside the lock.
func (s *scheduler) record(o *op, res result, err error) {
	s.mu.Lock()
	if err != nil {
		s.failLocked(err)
		s.mu.Unlock()
		return
	}
	c, ok := s.countLocked(o, res)
	s.mu.Unlock()
	if ok && s.j.o.OnConflict != nil {
		s.j.o.OnConflict(c)
	}
}

func (s *scheduler) countLocked(o *op, res result) (Conflict, bool) {
	if !o.rec.sessionless() {
		if s.sessions == nil {
			s.sessions = map[sessionKey]bool{}
		}
		s.sessions[o.rec.Req.key(o.rec.Session)] = true
		s.rep.Sessions = len(s.sessions)
	}
	switch res.outcome {
	case outcomeApplied, outcomeConflict:
		s.rep.Replayed++
	case outcomeAlready:
		s.rep.Already++
	case outcomeFailed:
		s.rep.Failed++
	}
	if res.conflict == nil {
		return Conflict{}, false
	}
	c := *res.conflict
	c.Seq, c.SessionID = o.rec.Seq, o.rec.Session
	s.rep.Conflicts++
	s.rep.Conflicting = append(s.rep.Conflicting, c)
	return c, true
}

// report is what the replay did, its conflicts in op order; lanes find
// them in whatever order they run.
func (s *scheduler) report() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := s.rep
	slices.SortFunc(rep.Conflicting, func(a, b Conflict) int { return cmp.Compare(a.Seq, b.Seq) })
	return rep
}
