package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// Ledger keeps an escalation chain's paging state in etcd, so a new
// decider knows who was paged for what and pages nobody twice. Load reads
// from any replica; Save is fenced, so only the decider writes it and a
// decider that lost its lease cannot overwrite its successor's state.
//
// A notify.Chain reads its ledger once, when it is made: build the chain
// when this replica becomes the decider, not before.
type Ledger struct {
	m   *Member
	key string
}

var _ notify.Ledger = (*Ledger)(nil)

// NewLedger returns the ledger called name (one per chain, such as
// "chain") kept under <prefix>notify/<name>.
func NewLedger(m *Member, name string) (*Ledger, error) {
	if err := checkName("ledger", name); err != nil {
		return nil, err
	}
	return &Ledger{m: m, key: m.k.prefix + "notify/" + escape(name)}, nil
}

// Load reads the saved state; nothing saved yet is an empty state. It
// fails with ErrUnavailable when etcd does not answer in time.
func (l *Ledger) Load() (map[string]json.RawMessage, error) {
	ctx, cancel := l.m.op(context.Background())
	defer cancel()
	resp, err := l.m.c.Get(ctx, l.key)
	if err != nil {
		return nil, unavailable("read ledger", err)
	}
	out := map[string]json.RawMessage{}
	if len(resp.Kvs) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(resp.Kvs[0].Value, &out); err != nil {
		return nil, fmt.Errorf("cluster: decode ledger %s: %w", l.key, err)
	}
	return out, nil
}

// Save replaces the state, fenced: it fails with ErrNotDecider on a
// replica that does not decide and ErrFenced once etcd ended this
// replica's term. The chain then goes on paging from memory and reports
// the failure through its OnLedgerError.
func (l *Ledger) Save(on map[string]json.RawMessage) error {
	doc, err := json.Marshal(on)
	if err != nil {
		return fmt.Errorf("cluster: encode ledger: %w", err)
	}
	_, err = l.m.fenced(context.Background(), write{then: []clientv3.Op{clientv3.OpPut(l.key, string(doc))}})
	return err
}
