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
//
// Each tier hears once per state change of an incident: opened, escalated
// (its level rose), acknowledged, re-triggered, resolved. Other updates
// (a rollback verdict, a level going down) change what later notices say
// but page nobody. Each tier repeats on its own cadence from its own page.
// With a Ledger, the chain's state survives a restart, so re-opening an
// incident after one pages nobody twice.
type Chain struct {
	s   ChainSettings
	out Sender
	mu  sync.Mutex
	on  map[string]*track
	// dirty is set by every change to on, so the ledger is written once
	// per call that changed something.
	dirty bool
}

// track is one open incident's live state. Its fields are exported for
// the Ledger's JSON, not for other packages.
type track struct {
	Opened     time.Time     `json:"opened"`
	Last       Notice        `json:"last"`     // latest trigger notice, resent by repeats
	Paged      []PagedTier   `json:"paged"`    // tiers paged so far, in order: Paged[i] is tier i
	Notified   string        `json:"notified"` // the highest level the tiers were paged for
	Seq        int           `json:"seq"`      // state changes told so far
	Paused     time.Duration `json:"paused"`   // time spent acknowledged, which does not escalate
	AckStart   time.Time     `json:"ack_start,omitzero"`
	AckedAt    time.Time     `json:"acked_at,omitzero"` // zero: not acknowledged
	AckedBy    string        `json:"acked_by,omitempty"`
	Repeats    int           `json:"repeats"`
	Retriggers int           `json:"retriggers"`
}

func (t *track) acked() bool { return !t.AckedAt.IsZero() }

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
	c := &Chain{s: s, out: d, on: map[string]*track{}}
	if s.Ledger != nil {
		on, err := s.Ledger.Load()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrLedger, err)
		}
		c.restore(on)
	}
	return c, nil
}

// Open starts the chain for a new incident at n.Time: every tier due at
// age 0 is paged now and the level's cadence is armed. Opening an open
// incident is an Update.
func (c *Chain) Open(id string, n Notice) { c.openOrUpdate(id, n) }

// Update records a new level or verdict. When the level rose above every
// level the tiers were paged for, every tier paged so far is told (a
// Trigger with the new summary) and its cadence re-armed for the new
// level; any other update pages nobody and only changes what repeats and
// later tiers will say. An acknowledged incident is told of an escalation
// too, but stays acknowledged and does not repeat. Updating an unknown
// incident opens it.
func (c *Chain) Update(id string, n Notice) { c.openOrUpdate(id, n) }

func (c *Chain) openOrUpdate(id string, n Notice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.persist()
	n = stamp(id, n)
	if t := c.on[id]; t != nil {
		c.update(t, n)
		return
	}
	t := &track{Opened: n.Time, Notified: n.Level, Seq: 1}
	t.Last = n
	c.on[id], c.dirty = t, true
	c.escalate(t, n.Time)
}

func (c *Chain) update(t *track, n Notice) {
	escalated := n.Level > t.Notified
	t.Last, c.dirty = n, true
	if !escalated {
		t.Last.Seq = t.Seq
		return
	}
	t.Notified = n.Level
	t.Seq++
	t.Last.Seq = t.Seq
	c.sendPaged(t.Last, len(t.Paged))
	if !t.acked() {
		c.armAll(t, n.Time)
		c.escalate(t, n.Time)
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
	defer c.persist()
	t := c.on[id]
	if t == nil {
		return
	}
	first := !t.acked()
	t.AckedAt, t.AckedBy, c.dirty = at, by, true
	c.disarm(t)
	if !first {
		return
	}
	t.AckStart = at
	t.Seq++
	n := t.Last
	n.Action, n.Time, n.By, n.Seq = Acknowledge, at, by, t.Seq
	c.sendPaged(n, len(t.Paged))
}

// Resolve tells every paged tier once that the incident is over and
// forgets it. Resolving an unknown incident does nothing.
func (c *Chain) Resolve(id string, n Notice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.persist()
	t := c.on[id]
	if t == nil {
		return
	}
	delete(c.on, id)
	c.dirty = true
	n = stamp(id, n)
	n.Action, n.Seq = Resolve, t.Seq+1
	c.sendPaged(n, len(t.Paged))
}

// stamp makes n a first-hand trigger notice of incident id.
func stamp(id string, n Notice) Notice {
	n.DedupKey, n.Action, n.Repeat, n.By, n.Seq = id, Trigger, false, "", 1
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
