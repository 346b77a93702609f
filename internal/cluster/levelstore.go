package cluster

import (
	"context"
	"encoding/json"
	"fmt"
)

// StateStore keeps a decided state of type T (the level engine's) in etcd,
// where every replica reads it: Load reads the decided state, Save
// publishes it fenced, so only the decider's engine changes it. T is the
// app's type; this package stores its JSON without reading it.
type StateStore[T any] struct {
	// Member is the replica's membership. Required.
	Member *Member
	// Context bounds each call. Nil means context.Background; every call
	// is bounded by Settings.RequestTimeout anyway.
	Context context.Context
}

// Load reads the decided state; ok is false when none was ever decided.
func (s StateStore[T]) Load() (T, bool, error) {
	st, err := s.Member.State(s.ctx())
	if err != nil || st.Revision == 0 {
		var zero T
		return zero, false, err
	}
	v, err := Decode[T](st)
	return v, err == nil, err
}

// Save publishes v as the decided state. It fails with ErrNotDecider (or
// ErrFenced) on a replica that does not decide.
func (s StateStore[T]) Save(v T) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cluster: encode decided state: %w", err)
	}
	_, err = s.Member.PublishState(s.ctx(), doc)
	return err
}

// Decode reads a delivered State's value as T.
func Decode[T any](st State) (T, error) {
	var v T
	if err := json.Unmarshal(st.Value, &v); err != nil {
		return v, fmt.Errorf("cluster: decode decided state: %w", err)
	}
	return v, nil
}

func (s StateStore[T]) ctx() context.Context {
	if s.Context == nil {
		return context.Background()
	}
	return s.Context
}
