package cluster

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// write is one fenced transaction: when every condition in when holds, do
// then; otherwise fail with conflict, after the reads in orElse, whose
// results follow the fence's own in the response.
type write struct {
	when     []clientv3.Cmp
	then     []clientv3.Op
	orElse   []clientv3.Op
	conflict error
}

// fenced commits w only if this replica still holds the election with the
// revision it won it at. It returns ErrNotDecider without asking etcd when
// this replica knows it does not decide, ErrFenced when etcd says the term
// is over, and w.conflict when only w's own conditions failed.
func (m *Member) fenced(ctx context.Context, w write) (*clientv3.TxnResponse, error) {
	t := m.term.Load()
	if t == nil || !m.IsDecider() {
		return nil, ErrNotDecider
	}
	octx, cancel := m.op(ctx)
	defer cancel()
	held := clientv3.Compare(clientv3.CreateRevision(t.key), "=", t.rev)
	resp, err := m.c.Txn(octx).
		If(append([]clientv3.Cmp{held}, w.when...)...).
		Then(w.then...).
		Else(append([]clientv3.Op{clientv3.OpTxn([]clientv3.Cmp{held}, nil, nil)}, w.orElse...)...).
		Commit()
	if err != nil {
		return nil, unavailable("fenced write", err)
	}
	if resp.Succeeded {
		return resp, nil
	}
	if resp.Responses[0].GetResponseTxn().GetSucceeded() {
		return resp, w.conflict
	}
	// The term is over in etcd: stop deciding now and let the session
	// start again, so this replica campaigns afresh.
	t.fenced.Store(true)
	t.end()
	return resp, ErrFenced
}
