package cluster

import (
	"context"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Document is one incident as the app encodes it, readable from any
// replica so `lifeboat incident` gives the same answer against each.
type Document struct {
	ID       string
	Value    []byte
	Revision int64
}

// PutIncident stores the incident's document, fenced: only the decider
// opens, updates and closes incidents.
func (m *Member) PutIncident(ctx context.Context, id string, doc []byte) error {
	if err := checkName("incident", id); err != nil {
		return err
	}
	_, err := m.fenced(ctx, write{then: []clientv3.Op{clientv3.OpPut(m.k.incidents()+escape(id), string(doc))}})
	return err
}

// Incidents reads every incident document, in id order.
func (m *Member) Incidents(ctx context.Context) ([]Document, error) {
	kvs, err := m.getPrefix(ctx, m.k.incidents(), "read incidents")
	if err != nil {
		return nil, err
	}
	out := make([]Document, 0, len(kvs))
	for _, kv := range kvs {
		id := strings.TrimPrefix(string(kv.Key), m.k.incidents())
		out = append(out, Document{ID: unescape(id), Value: kv.Value, Revision: kv.ModRevision})
	}
	return out, nil
}
