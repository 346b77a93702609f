package notify

import "errors"

// Errors reported by this package, wrapped with %w.
var (
	// ErrPermanent marks a failure that will not go away by trying again
	// (a 4xx other than 429, a missing routing key). Retry stops at once.
	ErrPermanent = errors.New("notify: permanent failure")
	// ErrStatus means the receiver answered with an unexpected HTTP status.
	ErrStatus = errors.New("notify: unexpected HTTP status")
	// ErrSend means the request could not be sent or its answer not read.
	ErrSend = errors.New("notify: request failed")
	// ErrEncode means the notice could not be encoded as JSON (a Details
	// value of an unsupported type).
	ErrEncode = errors.New("notify: cannot encode notice")
	// ErrConfig means the notifier itself is unusable: no URL, a URL that
	// does not parse, no routing key.
	ErrConfig = errors.New("notify: invalid notifier")
	// ErrSettings means NewChain was given unusable settings.
	ErrSettings = errors.New("notify: invalid chain settings")
	// ErrStopped means the Dispatcher stopped with notices undelivered.
	ErrStopped = errors.New("notify: dispatcher stopped")
	// ErrLedger means the chain's paging state could not be read or
	// written (ChainSettings.Ledger).
	ErrLedger = errors.New("notify: paging ledger")
	// ErrPanic means a notifier panicked; the panic is recovered.
	ErrPanic = errors.New("notify: notifier panicked")
)
