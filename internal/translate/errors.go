package translate

import "errors"

// Errors returned by New and Compile. They are wrapped with the rule and the
// field at fault, so test them with errors.Is.
var (
	// ErrRule reports a rule that cannot be used: a missing field, a bad
	// path pattern or a jq program that does not compile.
	ErrRule = errors.New("translate: bad rule")
	// ErrOptions reports Options that cannot be used, such as a missing
	// fallback URL.
	ErrOptions = errors.New("translate: bad options")
)
