package proxy

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Mode is where requests go.
type Mode uint8

// Routing modes.
const (
	// ModePrimary sends everything to the primary.
	ModePrimary Mode = iota
	// ModeBackup sends everything to the primary and serves from the
	// fallback what the primary cannot.
	ModeBackup
	// ModeFallback sends everything to the fallback; the primary is isolated.
	ModeFallback
	// ModeSplit sends a weighted share to the primary and the rest to the
	// fallback, each backing up the other.
	ModeSplit
)

// The fallback's name is the facts' (fact.ModeFallback), which readers of
// routing events compare with.
var modeNames = [...]string{"primary", "backup", fact.ModeFallback, "split"}

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("mode(%d)", m)
}

// ParseMode turns a mode name into a Mode.
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if n == s {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want primary, backup, fallback or split)", ErrBadMode, s)
}

// Routing is a mode with its split weight.
type Routing struct {
	Mode Mode `json:"-"`
	// PrimaryWeight is the percentage sent to the primary in split mode.
	PrimaryWeight int `json:"primary_weight"`
}

// routingState packs mode and weight into one word so a request reads a
// consistent pair without a lock.
type routingState struct{ v atomic.Uint32 }

func (s *routingState) load() Routing {
	v := s.v.Load()
	return Routing{Mode: Mode(v >> 8), PrimaryWeight: int(v & 0xff)}
}

func (s *routingState) store(r Routing) Routing {
	old := s.v.Swap(uint32(r.Mode)<<8 | uint32(r.PrimaryWeight))
	return Routing{Mode: Mode(old >> 8), PrimaryWeight: int(old & 0xff)}
}

// plan is the order in which upstreams are tried for one request.
type plan struct {
	first, second int
	hasSecond     bool
}

// planFor picks the upstreams for one request. An upstream whose active
// health check says it is down is moved behind the other when there is one,
// so a dead primary costs no connect timeout per request.
func planFor(r Routing, usable func(int) bool) plan {
	switch r.Mode {
	case ModeFallback:
		return plan{first: fallback}
	case ModePrimary:
		return plan{first: primary}
	case ModeSplit:
		p := plan{first: primary, second: fallback, hasSecond: true}
		if rand.IntN(100) >= r.PrimaryWeight {
			p.first, p.second = fallback, primary
		}
		return demoteDown(p, usable)
	default:
		return demoteDown(plan{first: primary, second: fallback, hasSecond: true}, usable)
	}
}

func demoteDown(p plan, usable func(int) bool) plan {
	if !usable(p.first) && usable(p.second) {
		p.first, p.second = p.second, p.first
	}
	return p
}
