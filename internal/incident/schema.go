package incident

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// schemaVersion is the layout of this package's tables. The
// schema_version table is shared: each package sharing the database keeps
// one row under its own component name.
const (
	schemaVersion   = 1
	schemaComponent = "incident"
)

var schema = []string{
	`CREATE TABLE IF NOT EXISTS schema_version (
		component TEXT PRIMARY KEY,
		version   INTEGER NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS incidents (
		id           TEXT PRIMARY KEY,
		opened_at    INTEGER NOT NULL,
		closed_at    INTEGER NOT NULL DEFAULT 0,
		open         INTEGER NOT NULL,
		level        TEXT NOT NULL DEFAULT '',
		max_level    TEXT NOT NULL DEFAULT '',
		trigger_name TEXT NOT NULL DEFAULT '',
		rollback     TEXT NOT NULL DEFAULT '',
		manual       INTEGER NOT NULL DEFAULT 0,
		acked_by     TEXT NOT NULL DEFAULT '',
		acked_at     INTEGER NOT NULL DEFAULT 0)`,
	// At most one incident is open at a time.
	`CREATE UNIQUE INDEX IF NOT EXISTS incidents_one_open ON incidents(open) WHERE open = 1`,
	`CREATE INDEX IF NOT EXISTS incidents_opened ON incidents(opened_at)`,
	`CREATE TABLE IF NOT EXISTS incident_entries (
		incident_id TEXT NOT NULL,
		seq         INTEGER NOT NULL,
		time        INTEGER NOT NULL,
		kind        TEXT NOT NULL,
		source      TEXT NOT NULL,
		severity    TEXT NOT NULL,
		message     TEXT NOT NULL,
		fields      TEXT NOT NULL,
		PRIMARY KEY (incident_id, seq)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS incident_items (
		incident_id TEXT NOT NULL,
		checklist   TEXT NOT NULL,
		position    INTEGER NOT NULL,
		text        TEXT NOT NULL,
		done        INTEGER NOT NULL DEFAULT 0,
		done_by     TEXT NOT NULL DEFAULT '',
		done_at     INTEGER NOT NULL DEFAULT 0,
		event       INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (incident_id, checklist, position)) WITHOUT ROWID`,
}

// Store keeps incidents in SQLite. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// mu queues this process's write transactions in Go. Left to SQLite's
	// busy handler, which polls, a person's Ack could starve for the whole
	// busy timeout behind a burst of events; sync.Mutex hands the lock over
	// fairly once a waiter has waited a millisecond.
	mu sync.Mutex
}

// NewStore creates this package's tables in db when missing and checks
// that their layout is one this version understands.
func NewStore(db *sql.DB) (*Store, error) {
	s := &Store{db: db}
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		for _, q := range schema {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		return checkVersion(tx)
	})
	if err != nil {
		return nil, fmt.Errorf("incident: create schema: %w", err)
	}
	return s, nil
}

// checkVersion records the version on a new database and refuses one
// written by a newer Lifeboat. Later versions migrate here.
func checkVersion(tx *sql.Tx) error {
	var v int
	err := tx.QueryRow(`SELECT version FROM schema_version WHERE component = ?`, schemaComponent).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		_, err = tx.Exec(`INSERT INTO schema_version (component, version) VALUES (?, ?)`, schemaComponent, schemaVersion)
		return err
	case err != nil:
		return err
	case v > schemaVersion:
		return fmt.Errorf("%w: %d (this build reads up to %d)", ErrSchema, v, schemaVersion)
	}
	return nil
}

// write runs f in a read-write transaction and commits it.
func (s *Store) write(ctx context.Context, f func(*sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// read runs f in a read-only transaction, one consistent snapshot.
func (s *Store) read(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return f(tx)
}
