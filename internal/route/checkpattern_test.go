package route

import "testing"

func TestCheckPattern(t *testing.T) {
	for p, want := range map[string]string{
		"/api/v1/sessions/*/messages": "",
		"/api/**":                     "",
		"api":                         "must start with /",
		"/**/a":                       `"**" is only allowed as the last segment`,
		"/a*":                         `"*" must be a whole segment`,
		"/a\tb":                       "must not contain control characters",
	} {
		if got := CheckPattern(p); got != want {
			t.Errorf("CheckPattern(%q) = %q, want %q", p, got, want)
		}
	}
}
