package notify

import (
	"fmt"
	"sync"
	"time"
)

// Sender is where the chain hands its notices; *Dispatcher is one. Send
// must not block.
type Sender interface {
	Send(n Notice, to []Notifier)
}

// Chain decides who is told what and when: it pages tiers as an incident
// ages, repeats at the level's cadence, stops both on acknowledgement and
// re-triggers an acknowledged incident that stays open. It only hands
// notices to its Sender, so no method waits on the network. Times come
// from the notices and from Tick, never from the clock, so tests can walk
// a 30-minute chain with explicit times. All methods are safe for
// concurrent use.
type Chain struct {
	s   ChainSettings
	out Sender
	mu  sync.Mutex
	on  map[string]*track
}

// track is one open incident's live state.
type track struct {
	opened     time.Time
	last       Notice        // latest trigger notice, resent by repeats
	paged      []PagedTier   // tiers paged so far, in order: paged[i] is tier i
	nextRepeat time.Time     // zero: no repeat armed
	paused     time.Duration // time spent acknowledged, which does not escalate
	ackStart   time.Time     // when the current acknowledgement began
	ackedAt    time.Time     // latest acknowledgement; zero: not acknowledged
	ackedBy    string
	repeats    int
	retriggers int
}

func (t *track) acked() bool { return !t.ackedAt.IsZero() }

// NewChain checks s and makes a chain that sends through d (usually a
// *Dispatcher).
func NewChain(s ChainSettings, d Sender) (*Chain, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: a sender is required", ErrSettings)
	}
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Chain{s: s, out: d, on: map[string]*track{}}, nil
}

// Open starts the chain for a new incident at n.Time: every tier due at
// age 0 is paged now and the level's cadence is armed. Opening an open
// incident is an Update.
func (c *Chain) Open(id string, n Notice) { c.openOrUpdate(id, n) }

// Update tells every tier paged so far about a new level or verdict (a
// Trigger with the new summary) and re-arms the cadence for the new level.
// An acknowledged incident is told too, but stays acknowledged and does
// not repeat. Updating an unknown incident opens it.
func (c *Chain) Update(id string, n Notice) { c.openOrUpdate(id, n) }

func (c *Chain) openOrUpdate(id string, n Notice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n = stamp(id, n)
	if t := c.on[id]; t != nil {
		c.update(t, n)
		return
	}
	t := &track{opened: n.Time, last: n}
	c.on[id] = t
	c.escalate(t, n.Time)
	c.arm(t, n.Time)
}

func (c *Chain) update(t *track, n Notice) {
	t.last = n
	c.sendPaged(n, len(t.paged))
	if !t.acked() {
		c.escalate(t, n.Time)
		c.arm(t, n.Time)
	}
}

// Ack stops escalation and repeats and tells the paged tiers. Acking an
// acknowledged incident restarts its AckTimeout without telling anyone
// again; acking an unknown one does nothing. A zero at means now.
func (c *Chain) Ack(id, by string, at time.Time) {
	if at.IsZero() {
		at = time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.on[id]
	if t == nil {
		return
	}
	first := !t.acked()
	t.ackedAt, t.ackedBy, t.nextRepeat = at, by, time.Time{}
	if !first {
		return
	}
	t.ackStart = at
	n := t.last
	n.Action, n.Time, n.By = Acknowledge, at, by
	c.sendPaged(n, len(t.paged))
}

// Resolve tells every paged tier once that the incident is over and
// forgets it. Resolving an unknown incident does nothing.
func (c *Chain) Resolve(id string, n Notice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.on[id]
	if t == nil {
		return
	}
	delete(c.on, id)
	n = stamp(id, n)
	n.Action = Resolve
	c.sendPaged(n, len(t.paged))
}

// stamp makes n a first-hand trigger notice of incident id.
func stamp(id string, n Notice) Notice {
	n.DedupKey, n.Action, n.Repeat, n.By = id, Trigger, false, ""
	n.Time = n.when()
	return n
}

// sendPaged sends n to the first upTo paged tiers, each with its name.
func (c *Chain) sendPaged(n Notice, upTo int) {
	for i := range upTo {
		c.sendTier(i, n)
	}
}

func (c *Chain) sendTier(i int, n Notice) {
	tier := c.s.Tiers[i]
	if len(tier.Notifiers) == 0 {
		return
	}
	n.Tier = tier.Name
	c.out.Send(n, tier.Notifiers)
}
