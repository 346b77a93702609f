package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

// Translation turns OpenViking calls into the fallback's (LightRAG) calls
// while traffic is on the fallback, so clients keep speaking one API.
type Translation struct {
	// Enabled translates requests sent to the fallback. Disabled, they are
	// forwarded unchanged, as to any proxy upstream. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Builtin appends the built-in OpenViking-to-LightRAG profile (search,
	// resource add, health, readiness, system status) after Rules, so a
	// rule of your own for the same path wins. Default true.
	Builtin bool `yaml:"builtin" json:"builtin"`
	// FallbackAPIKey is sent as X-API-Key on every translated call; the
	// clients' own keys are OpenViking's and are never forwarded to the
	// fallback. Default empty (no key).
	FallbackAPIKey Secret `yaml:"fallback_api_key" json:"fallback_api_key"`
	// Rules are translations of your own, tried in order before the
	// built-in profile; translate.Rule documents each field and the jq
	// programs' inputs. Default none.
	Rules []translate.Rule `yaml:"rules,omitempty" json:"rules,omitempty"`
}

// Journal keeps the session writes the primary cannot take, acknowledged
// only once on disk, and replays them to the primary before traffic
// returns to it.
type Journal struct {
	// Enabled journals session writes and resource additions that reach
	// the fallback side. Disabled, they are translated or refused like any
	// other call. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Path is the journal file. Default "journal.log" under
	// escalation.data_dir.
	Path string `yaml:"path,omitempty" json:"path,omitempty"`
	// DrainEvery is how often Lifeboat checks whether journaled writes can
	// be replayed: whenever the primary is healthy and traffic is not
	// isolated on the fallback. Default 1s.
	DrainEvery time.Duration `yaml:"drain_every" json:"drain_every"`
	// ReplayTimeout bounds one replay toward the primary; a restore waits
	// for it and stops if it fails. Default 5m.
	ReplayTimeout time.Duration `yaml:"replay_timeout" json:"replay_timeout"`
	// ReplayWorkers is how many sessions replay at once; each session's
	// writes still go in order, one at a time. A primary taking 10 ms per
	// write drains about 100 writes a second per worker. Default 8.
	ReplayWorkers int `yaml:"replay_workers" json:"replay_workers"`
}
