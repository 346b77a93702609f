package cluster

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// JournalLog is the journal's shared log (journal.Shared) on etcd: one
// total order of records under <prefix>jlog/, every replica's journal
// applying all of them. A record's position is its key's create revision,
// which etcd gives in commit order; a record is durable once Append
// returns, committed by etcd's quorum. Get it from Member.JournalLog.
type JournalLog struct{ m *Member }

var _ journal.Shared = (*JournalLog)(nil)

// followPage is how many records Follow reads per request while catching
// up, so a long backlog never makes one huge response.
const followPage = 256

// trimBatch is how many deletes one Trim transaction holds: etcd refuses
// transactions of more than 128 operations by default.
const trimBatch = 100

// JournalLog is this replica's view of the cluster's shared journal log.
func (m *Member) JournalLog() *JournalLog { return &JournalLog{m: m} }

// Append stores payload under a key no other call uses, so it is stored
// at most once: a retry of the same transaction by the etcd client finds
// the key and returns its position instead of writing again.
func (l *JournalLog) Append(ctx context.Context, payload []byte) (int64, error) {
	if len(payload) > MaxEntryBytes {
		return 0, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(payload), MaxEntryBytes)
	}
	m := l.m
	key := m.k.jlog() + m.s.Name + "." + m.boot + "." + strconv.FormatUint(m.seq.Add(1), 16)
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Txn(octx).
		If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, string(payload))).
		Else(clientv3.OpGet(key)).
		Commit()
	if err != nil {
		return 0, unavailable("journal append", err)
	}
	if resp.Succeeded {
		return resp.Header.Revision, nil
	}
	kvs := resp.Responses[0].GetResponseRange().GetKvs()
	if len(kvs) == 0 {
		return 0, fmt.Errorf("%w: journal append: key %s neither new nor found", ErrUnavailable, key)
	}
	return kvs[0].CreateRevision, nil
}

// Follow delivers every record after after in position order, then each
// new one, until ctx ends or apply fails. It outlives etcd's outages: a
// broken read or watch is retried every Interval from the last position
// delivered, so a partitioned replica catches up once etcd is back.
func (l *JournalLog) Follow(ctx context.Context, after int64, apply func(int64, []byte) error) error {
	for {
		next, err := l.catchUp(ctx, after, apply)
		after = next
		if err == nil {
			after, err = l.watch(ctx, after, apply)
		}
		if err != nil && !isRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(l.m.s.Interval):
		}
	}
}

// retryable marks an etcd failure Follow waits out.
type retryable struct{ error }

func (r retryable) Unwrap() error { return r.error }

func isRetryable(err error) bool {
	_, ok := err.(retryable)
	return ok
}

// catchUp delivers the records kept after after, page by page, all read
// at one revision; it returns the last position delivered.
func (l *JournalLog) catchUp(ctx context.Context, after int64, apply func(int64, []byte) error) (int64, error) {
	m := l.m
	var rev int64
	for {
		octx, cancel := m.op(ctx)
		opts := []clientv3.OpOption{clientv3.WithPrefix(), clientv3.WithMinCreateRev(after + 1),
			clientv3.WithSort(clientv3.SortByCreateRevision, clientv3.SortAscend), clientv3.WithLimit(followPage)}
		if rev > 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := m.c.Txn(octx).Then(clientv3.OpGet(m.k.jlogTrimmed()), clientv3.OpGet(m.k.jlog(), opts...)).Commit()
		cancel()
		if err != nil {
			return after, retryable{unavailable("journal read", err)}
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		if t := trimmedAt(resp.Responses[0].GetResponseRange().GetKvs()); after > 0 && after < t {
			return after, fmt.Errorf("%w: at %d, trimmed to %d", journal.ErrTrimmed, after, t)
		}
		page := resp.Responses[1].GetResponseRange()
		for _, kv := range page.GetKvs() {
			if err := apply(kv.CreateRevision, kv.Value); err != nil {
				return after, err
			}
			after = kv.CreateRevision
		}
		if !page.GetMore() {
			return max(after, rev), nil
		}
	}
}

// watch delivers records created after after as etcd commits them, until
// the watch breaks (retryable) or ctx ends.
func (l *JournalLog) watch(ctx context.Context, after int64, apply func(int64, []byte) error) (int64, error) {
	m := l.m
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	for resp := range m.c.Watch(wctx, m.k.jlog(), clientv3.WithPrefix(), clientv3.WithRev(after+1)) {
		if err := resp.Err(); err != nil {
			return after, retryable{unavailable("journal watch", err)}
		}
		for _, ev := range resp.Events {
			if ev.Type != clientv3.EventTypePut || ev.Kv.CreateRevision <= after {
				continue
			}
			if err := apply(ev.Kv.CreateRevision, ev.Kv.Value); err != nil {
				return after, err
			}
			after = ev.Kv.CreateRevision
		}
	}
	if ctx.Err() != nil {
		return after, ctx.Err()
	}
	return after, retryable{fmt.Errorf("%w: journal watch closed", ErrUnavailable)}
}

// Trim deletes every record at or below pos and raises the trim mark to
// pos, so a follower that had yet to deliver them learns it missed
// records. Only the decider replays, so only it trims: the mark is read
// and raised without a race to guard against.
func (l *JournalLog) Trim(ctx context.Context, pos int64) error {
	m := l.m
	kvs, err := m.getPrefix(ctx, m.k.jlog(), "journal trim", clientv3.WithMaxCreateRev(pos), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	marks, err := m.getPrefix(ctx, m.k.jlogTrimmed(), "journal trim mark")
	if err != nil {
		return err
	}
	ops := []clientv3.Op{clientv3.OpPut(m.k.jlogTrimmed(), strconv.FormatInt(max(pos, trimmedAt(marks)), 10))}
	for {
		n := min(len(kvs), trimBatch)
		for _, kv := range kvs[:n] {
			ops = append(ops, clientv3.OpDelete(string(kv.Key)))
		}
		kvs = kvs[n:]
		octx, cancel := m.op(ctx)
		_, err := m.c.Txn(octx).Then(ops...).Commit()
		cancel()
		if err != nil {
			return unavailable("journal trim", err)
		}
		if len(kvs) == 0 {
			return nil
		}
		ops = ops[:0]
	}
}

// MaxPayload is MaxEntryBytes.
func (l *JournalLog) MaxPayload() int { return MaxEntryBytes }

// trimmedAt reads the trim mark, 0 when there is none.
func trimmedAt(kvs []*mvccpb.KeyValue) int64 {
	if len(kvs) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(kvs[0].Value), 10, 64)
	return n
}

// jlog is the prefix of the shared journal log's records; jlogTrimmed, a
// key outside it, holds the position the log was last trimmed to.
func (k keys) jlog() string        { return k.prefix + "jlog/" }
func (k keys) jlogTrimmed() string { return k.prefix + "jlog-trimmed" }
