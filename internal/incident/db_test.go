package incident

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestOpenDBSettings(t *testing.T) {
	_, db, _ := tempDB(t)
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"synchronous", "2"}, {"busy_timeout", "5000"},
	} {
		var got string
		if err := db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.want)
		}
	}
}

func TestOpenDBRejectsURIs(t *testing.T) {
	for _, p := range []string{"", "a?mode=ro", "file:x.db", "x#y"} {
		if _, err := OpenDB(p); !errors.Is(err, ErrBadPath) {
			t.Errorf("OpenDB(%q) = %v, want ErrBadPath", p, err)
		}
	}
}

func TestNewStoreVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db, _ := openTestDB(t, path)
	defer db.Close()
	if _, err := NewStore(db); err != nil {
		t.Fatalf("second NewStore on the same database: %v", err)
	}
	var v int
	if err := db.QueryRow(`SELECT version FROM schema_version WHERE component = 'incident'`).Scan(&v); err != nil || v != schemaVersion {
		t.Fatalf("schema version %d, %v", v, err)
	}
	if _, err := db.Exec(`UPDATE schema_version SET version = 99 WHERE component = 'incident'`); err != nil {
		t.Fatal(err)
	}
	if _, err := NewStore(db); !errors.Is(err, ErrSchema) {
		t.Fatalf("NewStore on a newer schema = %v, want ErrSchema", err)
	}
}
