package config

// Secret is a string that never leaves the process in clear: it marshals as
// "<redacted>" to JSON and YAML and prints redacted with %v, so a status
// page, a diagnostics bundle or a log line cannot leak it by accident.
type Secret string

const redacted = "<redacted>"

// String hides the value from fmt.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// MarshalJSON hides the value from JSON output.
func (s Secret) MarshalJSON() ([]byte, error) {
	return []byte(`"` + s.String() + `"`), nil
}

// MarshalYAML hides the value from YAML output.
func (s Secret) MarshalYAML() (any, error) {
	return s.String(), nil
}

// Reveal returns the clear value, for the one place that must compare it.
func (s Secret) Reveal() string { return string(s) }
