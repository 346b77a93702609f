package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

// DBFile is the database's file in a gateway's data directory.
const DBFile = "lifeboat.db"

// BookOptions configure OpenBook.
type BookOptions struct {
	// Dir is the data directory, which must exist. Required.
	Dir string
	// History is how the metric history samples; OpenBook sets its DB.
	// Default: a read-only sampler that only prunes (see history.Options).
	History history.Options
	// HistorySettings are the history's interval and retention. Default:
	// history's defaults.
	HistorySettings history.Settings
	// Records configure the recorder; OpenBook sets its Downtime from the
	// history. Default: Options' defaults.
	Records Options
}

// Book is the durable side of escalation as one gateway keeps it: one
// database under its data directory, holding the incidents and the
// metric history their reports measure downtime from.
type Book struct {
	db *sql.DB
	// Recorder records the incidents.
	Recorder *Recorder
	// History samples the traffic figures.
	History *history.Sampler
}

// OpenBook opens (creating if needed) the database in o.Dir, the
// incident store and the history in it, and the recorder. Run runs them;
// Close closes the database.
func OpenBook(ctx context.Context, o BookOptions) (*Book, error) {
	db, err := OpenDB(filepath.Join(o.Dir, DBFile))
	if err != nil {
		return nil, err
	}
	store, err := NewStore(db)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	o.History.DB = db
	h, err := history.New(ctx, o.History, o.HistorySettings)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("incident: history: %w", err), db.Close())
	}
	o.Records.Downtime = h.Downtime
	return &Book{db: db, Recorder: NewRecorder(store, o.Records), History: h}, nil
}

// Run runs the recorder's writer and the history's sampler until ctx
// ends, and returns once both have stopped.
func (b *Book) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { b.Recorder.Run(ctx) })
	wg.Go(func() { b.History.Run(ctx) })
	wg.Wait()
}

// LeftOpen picks up the incident a previous run left open, if any. When
// settled says the escalation engine came back at L0, it resolves the
// incident as "lifeboat", with reason(id), and an error says that failed;
// otherwise it returns the incident and resume true, for its paging and
// preservation to carry on. An incident that cannot be read is left as
// it is.
func (b *Book) LeftOpen(ctx context.Context, settled func() bool, reason func(id string) string) (inc Incident, resume bool, err error) {
	id, ok := b.Recorder.Current()
	if !ok {
		return Incident{}, false, nil
	}
	if settled() {
		return Incident{ID: id}, false, b.Recorder.Resolve(ctx, id, "lifeboat", reason(id))
	}
	inc, err = b.Recorder.Get(ctx, id)
	return inc, err == nil, nil
}

// Close closes the database; Run must have returned.
func (b *Book) Close() error { return b.db.Close() }
