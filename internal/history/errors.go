package history

import "errors"

// Errors returned by the package, wrapped with detail.
var (
	// ErrInvalidSettings is wrapped by every error from Settings.Validate.
	ErrInvalidSettings = errors.New("history: invalid settings")
	// ErrNoDB means Open was given a nil database.
	ErrNoDB = errors.New("history: no database")
	// ErrStore wraps failures to create, write, read or prune the tables.
	ErrStore = errors.New("history: store")
)
