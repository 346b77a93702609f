package trigger

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// State is where a trigger stands.
type State string

// The states. Firing and Resolving both mean the trigger is active.
const (
	Inactive  State = "inactive"  // the condition does not hold
	Pending   State = "pending"   // it holds, not yet for For
	Firing    State = "firing"    // it held for For
	Resolving State = "resolving" // it stopped holding, not yet for ClearFor
)

// Active reports whether the trigger counts as firing: Firing or Resolving.
func (s State) Active() bool { return s == Firing || s == Resolving }

// track is one trigger's live state.
type track struct {
	state     State
	since     time.Time // when state was entered
	badSince  time.Time // start of the current bad streak; zero when inactive
	onset     time.Time // when the problem behind the streak began; zero when inactive
	goodSince time.Time // start of the current good streak while resolving
	reading   signal.Reading
	at        time.Time // when reading was taken; zero before the first
	threshold float64   // in force at the last evaluation
	scale     float64
}

// observe applies one reading's verdict at now. Invalid readings must not
// reach it: they leave the state alone.
func (tr *track) observe(bad bool, now time.Time, forDur, clearFor time.Duration) {
	if bad {
		tr.onBad(now, forDur)
	} else {
		tr.onGood(now, clearFor)
	}
}

func (tr *track) onBad(now time.Time, forDur time.Duration) {
	tr.goodSince = time.Time{}
	if tr.state == Inactive {
		tr.badSince = now
		tr.enter(Pending, now)
	}
	if tr.state == Pending && now.Sub(tr.badSince) >= forDur {
		tr.enter(Firing, now)
	}
	if tr.state == Resolving {
		tr.enter(Firing, now)
	}
}

func (tr *track) onGood(now time.Time, clearFor time.Duration) {
	switch tr.state {
	case Pending:
		tr.clear(now)
	case Firing:
		tr.goodSince = now
		tr.enter(Resolving, now)
	}
	if tr.state == Resolving && now.Sub(tr.goodSince) >= clearFor {
		tr.clear(now)
	}
}

func (tr *track) enter(s State, now time.Time) {
	tr.state, tr.since = s, now
}

// clear ends the bad streak.
func (tr *track) clear(now time.Time) {
	tr.enter(Inactive, now)
	tr.badSince, tr.goodSince, tr.onset = time.Time{}, time.Time{}, time.Time{}
}
