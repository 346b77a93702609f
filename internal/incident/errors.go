package incident

import "errors"

// Errors returned by this package, wrapped with detail where useful.
var (
	// ErrNotFound is returned for an unknown incident, checklist or item.
	ErrNotFound = errors.New("incident: not found")
	// ErrClosed is returned when acknowledging an incident that has ended.
	ErrClosed = errors.New("incident: incident is closed")
	// ErrDone is returned when ticking an item that is already ticked.
	ErrDone = errors.New("incident: item already ticked")
	// ErrBadPath is returned by OpenDB for a path SQLite cannot take.
	ErrBadPath = errors.New("incident: bad database path")
	// ErrSchema is returned by NewStore for a database written by a newer
	// version of Lifeboat.
	ErrSchema = errors.New("incident: unsupported schema version")
	// ErrDocument is returned by Import for a document it cannot read.
	ErrDocument = errors.New("incident: unreadable incident document")
)

// ErrNoName is returned when a person's name or an artifact's name is
// missing.
var ErrNoName = errors.New("incident: a name is required")
