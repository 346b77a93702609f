package report

import "errors"

// Errors returned by the package, wrapped with detail.
var (
	// ErrWrite wraps a failure of the writer a report goes to.
	ErrWrite = errors.New("report: write")
	// ErrEncode wraps a failure to encode a report as JSON.
	ErrEncode = errors.New("report: encode")
	// ErrBadWindow means a chart's end is not after its start.
	ErrBadWindow = errors.New("report: chart window is empty")
)
