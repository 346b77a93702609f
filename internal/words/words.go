// Package words holds the few words the command line, the incident report
// and the drill summary print the same way, so the three never disagree on
// how an empty value or a flag reads.
package words

// OrNone returns s, or none when s is empty.
func OrNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// YesNo returns "yes" for true and "no" for false.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
