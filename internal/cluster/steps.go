package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// The step log makes actions, pages and restore steps happen once across
// deciders. The decider records a step's intent before running it and its
// outcome after, both fenced. A new decider reads the log: a step with an
// outcome is done and skipped; a step with an intent and no outcome was
// started by a decider that died and is resumed (the app re-runs it with
// the same idempotency key, or checks the world, then records the outcome);
// a step with neither has not started.

// Record is one intent or outcome in the step log.
type Record struct {
	// By is the decider that wrote the record.
	By string `json:"by"`
	// At is when, by that decider's clock.
	At time.Time `json:"at"`
	// Detail is the app's note: the action's arguments or its result.
	Detail []byte `json:"detail,omitempty"`
	// Revision orders records across deciders.
	Revision int64 `json:"-"`
}

// Step is one step of an incident and how far it got.
type Step struct {
	Key     string
	Intent  Record
	Outcome *Record // Nil while the step is open.
}

// Steps are an incident's steps in the order their intents were recorded.
type Steps []Step

// Intent records that this decider is about to run step of incident. It
// fails with ErrStepRecorded when any decider recorded it before: read
// Steps to learn whether it finished.
func (m *Member) Intent(ctx context.Context, incident, step string, detail []byte) error {
	key, err := m.stepKey(incident, step, "intent")
	if err != nil {
		return err
	}
	absent := clientv3.Compare(clientv3.Version(key), "=", 0)
	_, err = m.fenced(ctx, write{when: []clientv3.Cmp{absent}, then: []clientv3.Op{m.record(key, detail)}, conflict: ErrStepRecorded})
	return err
}

// Outcome records that step of incident finished, with its result. It
// fails with ErrNoIntent when no intent was recorded and ErrStepRecorded
// when an outcome was.
func (m *Member) Outcome(ctx context.Context, incident, step string, result []byte) error {
	intent, err := m.stepKey(incident, step, "intent")
	if err != nil {
		return err
	}
	key, _ := m.stepKey(incident, step, "outcome")
	conds := []clientv3.Cmp{
		clientv3.Compare(clientv3.Version(intent), ">", 0),
		clientv3.Compare(clientv3.Version(key), "=", 0),
	}
	resp, err := m.fenced(ctx, write{
		when: conds, then: []clientv3.Op{m.record(key, result)}, conflict: ErrStepRecorded,
		orElse: []clientv3.Op{clientv3.OpGet(intent, clientv3.WithCountOnly())},
	})
	if errors.Is(err, ErrStepRecorded) && resp.Responses[1].GetResponseRange().GetCount() == 0 {
		return ErrNoIntent
	}
	return err
}

// Steps reads incident's step log.
func (m *Member) Steps(ctx context.Context, incident string) (Steps, error) {
	if err := checkName("incident", incident); err != nil {
		return nil, err
	}
	prefix := m.k.steps(incident)
	kvs, err := m.getPrefix(ctx, prefix, "read steps")
	if err != nil {
		return nil, err
	}
	byKey := map[string]*Step{}
	for _, kv := range kvs {
		name, kind, ok := strings.Cut(strings.TrimPrefix(string(kv.Key), prefix), "/")
		var r Record
		if !ok || json.Unmarshal(kv.Value, &r) != nil {
			continue
		}
		r.Revision = kv.ModRevision
		s := byKey[name]
		if s == nil {
			s = &Step{Key: unescape(name)}
			byKey[name] = s
		}
		if kind == "outcome" {
			s.Outcome = &r
		} else {
			s.Intent = r
		}
	}
	return sortSteps(byKey), nil
}

// Open are the steps begun and not finished: a dead decider's last acts,
// to resume.
func (s Steps) Open() Steps {
	var out Steps
	for _, st := range s {
		if st.Outcome == nil {
			out = append(out, st)
		}
	}
	return out
}

// Find returns the step named key.
func (s Steps) Find(key string) (Step, bool) {
	for _, st := range s {
		if st.Key == key {
			return st, true
		}
	}
	return Step{}, false
}

// Done reports whether the step named key has an outcome: skip it.
func (s Steps) Done(key string) bool {
	st, ok := s.Find(key)
	return ok && st.Outcome != nil
}

func (m *Member) stepKey(incident, step, kind string) (string, error) {
	if err := checkName("incident", incident); err != nil {
		return "", err
	}
	if err := checkName("step", step); err != nil {
		return "", err
	}
	return m.k.step(incident, step) + kind, nil
}

func (m *Member) record(key string, detail []byte) clientv3.Op {
	return putJSON(key, Record{By: m.s.Name, At: time.Now(), Detail: detail})
}

func sortSteps(byKey map[string]*Step) Steps {
	out := make(Steps, 0, len(byKey))
	for _, s := range byKey {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Intent.Revision < out[j].Intent.Revision })
	return out
}
