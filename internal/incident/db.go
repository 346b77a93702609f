package incident

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// busyTimeoutMillis is how long a connection waits for another writer
// before failing with SQLITE_BUSY. Writes here are small, so five seconds
// only runs out when something is badly wrong.
const busyTimeoutMillis = 5000

// OpenDB opens (creating if needed) the SQLite database at path, the one
// Lifeboat keeps under its data directory and shares between packages.
//
// Every connection uses write-ahead logging, so readers never block the
// writer; synchronous=FULL, so a committed transaction survives a power
// cut, not just a crash of the process; a busy timeout, so the app, the
// CLI and tests can share the file; and BEGIN IMMEDIATE for read-write
// transactions, so two writers queue on the lock instead of one failing
// when it upgrades from reader to writer.
func OpenDB(path string) (*sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("%w: %q", ErrBadPath, path)
	}
	if err := private(path); err != nil {
		return nil, fmt.Errorf("incident: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", path+"?"+dsnParams())
	if err != nil {
		return nil, fmt.Errorf("incident: open %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("incident: open %s: %w", path, err)
	}
	return db, nil
}

func dsnParams() string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	return q.Encode()
}

// private makes the database and its WAL files readable by their owner
// alone: they hold incidents and callers' addresses. SQLite gives the WAL
// and shared-memory files the database file's mode, so creating the
// database 0600 before SQLite does is enough for new files; files left
// more open by an older version are tightened.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
