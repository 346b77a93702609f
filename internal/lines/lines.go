// Package lines cuts a text by lines as OpenViking's content read does:
// Python's lines[offset:offset+limit] over the text's lines, line ends
// kept, so the simulator and the gateway's fallback side slice alike.
package lines

import "strings"

// Slice returns lines offset to offset+limit of text; limit -1 reads to
// the end, and negative bounds count from the end, as in Python.
func Slice(text string, offset, limit int) string {
	if offset == 0 && limit == -1 {
		return text
	}
	ls := strings.SplitAfter(text, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	start, end := index(offset, len(ls)), len(ls)
	if limit != -1 {
		end = index(offset+limit, len(ls))
	}
	if start >= end {
		return ""
	}
	return strings.Join(ls[start:end], "")
}

// index clamps a Python slice bound, negative ones counting from the end.
func index(i, n int) int {
	if i < 0 {
		i += n
	}
	return min(max(i, 0), n)
}
