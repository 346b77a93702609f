package cluster

import (
	"fmt"
	"net/url"
)

// maxNameBytes bounds a replica, session, incident or step name, so keys
// stay small next to etcd's request limit.
const maxNameBytes = 256

// keys lays out the etcd key space under one prefix; see the package doc.
type keys struct{ prefix string }

func (k keys) election() string           { return k.prefix + "election/" }
func (k keys) replicas() string           { return k.prefix + "replicas/" }
func (k keys) replica(name string) string { return k.replicas() + name }
func (k keys) stats() string              { return k.prefix + "stats/" }
func (k keys) statsOf(name string) string { return k.stats() + name }
func (k keys) state() string              { return k.prefix + "state" }
func (k keys) incidents() string          { return k.prefix + "incidents/" }
func (k keys) journal() string            { return k.prefix + "journal/" }

// steps is the prefix of one incident's step records.
func (k keys) steps(incident string) string {
	return k.prefix + "steps/" + escape(incident) + "/"
}

// step is the prefix of one step's intent and outcome records.
func (k keys) step(incident, step string) string {
	return k.steps(incident) + escape(step) + "/"
}

// escape makes a caller's name one key segment: a "/" in an incident id or
// a session key must not reach into another's records.
func escape(name string) string { return url.PathEscape(name) }

// unescape reverses escape; a key this package did not write is kept as is.
func unescape(seg string) string {
	s, err := url.PathUnescape(seg)
	if err != nil {
		return seg
	}
	return s
}

// checkName refuses a name that would make an empty or oversized key part.
func checkName(what, name string) error {
	if name == "" || len(name) > maxNameBytes {
		return fmt.Errorf("%w: %s %q: want 1 to %d bytes", ErrInvalid, what, name, maxNameBytes)
	}
	return nil
}
