package cluster

import (
	"context"
	"fmt"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// MaxEntryBytes bounds one journal entry's payload at 1 MiB. etcd refuses
// any request above its --max-request-bytes, 1.5 MiB by default; the rest
// is room for the key and the transaction around it. Every value also goes
// through raft to every etcd member and stays in their memory-mapped
// databases until Done, so the journal is for writes, not bulk uploads: the
// app refuses a bigger upload (413) or splits it.
const MaxEntryBytes = 1 << 20

// Entry is one acknowledged write waiting for replay.
type Entry struct {
	// Session is the client session whose order the entry keeps.
	Session string
	// Seq is etcd's revision of the append: within a session, and across
	// every replica, a write acknowledged later has a larger Seq.
	Seq int64
	// Replica accepted the write.
	Replica string
	Payload []byte
	key     string
}

// Append stores payload in etcd and returns once a quorum of etcd has it:
// then, and only then, may the app acknowledge the write. The entry is on
// no lease, so it outlives this replica. A failed Append (ErrUnavailable)
// may still have been stored if etcd's answer was lost; replay must be
// idempotent by the write's own key, as the local journal's is.
func (m *Member) Append(ctx context.Context, session string, payload []byte) (Entry, error) {
	if err := checkName("session", session); err != nil {
		return Entry{}, err
	}
	if len(payload) > MaxEntryBytes {
		return Entry{}, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(payload), MaxEntryBytes)
	}
	key := fmt.Sprintf("%s%s/%s.%s.%016x", m.k.journal(), escape(session), m.s.Name, m.boot, m.seq.Add(1))
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Txn(octx).
		If(clientv3.Compare(clientv3.Version(key), "=", 0)).
		Then(clientv3.OpPut(key, string(payload))).
		Commit()
	if err != nil {
		return Entry{}, unavailable("append", err)
	}
	if !resp.Succeeded { // Unreachable: the key is new by construction.
		return Entry{}, fmt.Errorf("cluster: append: key %s taken", key)
	}
	return Entry{Session: session, Seq: resp.Header.Revision, Replica: m.s.Name, Payload: payload, key: key}, nil
}

// Pending lists up to limit entries (0 for all) in Seq order, which keeps
// each session's order across every replica that accepted its writes. The
// decider replays them and calls Done for each.
func (m *Member) Pending(ctx context.Context, limit int) ([]Entry, error) {
	kvs, err := m.getPrefix(ctx, m.k.journal(), "read journal",
		clientv3.WithSort(clientv3.SortByCreateRevision, clientv3.SortAscend), clientv3.WithLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(kvs))
	for _, kv := range kvs {
		key := string(kv.Key)
		session, name, ok := strings.Cut(strings.TrimPrefix(key, m.k.journal()), "/")
		if !ok {
			continue
		}
		out = append(out, Entry{
			Session: unescape(session), Seq: kv.CreateRevision, Replica: replicaOf(name),
			Payload: kv.Value, key: key,
		})
	}
	return out, nil
}

// Done deletes a replayed entry, fenced: only the decider replays. Pair it
// with the step log (Intent before sending, Outcome after) when a replay
// must not repeat across a take-over either.
func (m *Member) Done(ctx context.Context, e Entry) error {
	if e.key == "" {
		return fmt.Errorf("%w: entry %d: not from Pending or Append", ErrInvalid, e.Seq)
	}
	_, err := m.fenced(ctx, write{then: []clientv3.Op{clientv3.OpDelete(e.key)}})
	return err
}

// replicaOf takes the replica's name from "<replica>.<boot>.<n>"; a
// replica's name may itself hold dots.
func replicaOf(name string) string {
	for range 2 {
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[:i]
		}
	}
	return name
}
