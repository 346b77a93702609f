// Package secret holds the one string type that never leaves the process
// in clear. It is a leaf, so the configuration file and the engines whose
// settings the file embeds (an action's headers) carry the same type, and
// a value redacted in one place is redacted everywhere.
package secret

import "fmt"

// Secret is a string that never leaves the process in clear: it marshals as
// Redacted to JSON and YAML and prints redacted with every fmt verb, so a
// status page, a diagnostics bundle or a log line cannot leak it by accident.
type Secret string

// Redacted stands in for a set secret wherever one is printed or
// marshalled. The configuration refuses it as a token, so a dumped
// configuration loaded back cannot leave the admin API guarded by this
// well-known word.
const Redacted = "<redacted>"

// String hides the value from fmt.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// Format hides the value from every fmt verb. String alone is not enough:
// fmt bypasses it for %#v and prints the raw value in the error text of a
// wrong verb such as %d.
func (s Secret) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// MarshalJSON hides the value from JSON output.
func (s Secret) MarshalJSON() ([]byte, error) {
	return []byte(`"` + s.String() + `"`), nil
}

// MarshalYAML hides the value from YAML output.
func (s Secret) MarshalYAML() (any, error) {
	return s.String(), nil
}

// Reveal returns the clear value, for the few places that must use it.
func (s Secret) Reveal() string { return string(s) }
