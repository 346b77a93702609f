package action

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxOutput is how many bytes of output a Result keeps; the rest is counted
// and replaced by a marker saying how much was left out.
const MaxOutput = 16 << 10

// redactedText replaces every secret in Output and Error.
const redactedText = "<redacted>"

// capture keeps the first bytes written to it and counts the rest, so a
// command printing gigabytes costs a few KiB of memory. It is safe for
// concurrent writes because stdout and stderr may be copied by two
// goroutines.
type capture struct {
	mu    sync.Mutex
	keep  int // MaxOutput plus the longest secret, see redactor.keep
	buf   []byte
	total int64
	// capped is set by readers that stopped before the end of the stream,
	// making the omitted count a lower bound.
	capped bool
}

func newCapture(keep int) *capture { return &capture{keep: keep} }

// Write never fails, so a noisy child is never killed by a write error.
func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total += int64(len(p))
	if room := c.keep - len(c.buf); room > 0 {
		c.buf = append(c.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// text returns the redacted output, cut to MaxOutput with a marker.
func (c *capture) text(r redactor) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := r.apply(string(c.buf))
	if c.total <= MaxOutput {
		return s
	}
	omitted := c.total - MaxOutput
	if c.capped {
		return cutUTF8(s, MaxOutput) + fmt.Sprintf("\n[output truncated: at least %d more bytes]", omitted)
	}
	return cutUTF8(s, MaxOutput) + fmt.Sprintf("\n[output truncated: %d more bytes]", omitted)
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// redactor replaces secret values with "<redacted>". The zero value
// replaces nothing.
type redactor struct {
	r       *strings.Replacer
	longest int
}

// newRedactor prefers the longest secret where two overlap, so a token
// that contains a shorter one is hidden whole.
func newRedactor(secrets []string) redactor {
	s := slices.DeleteFunc(slices.Clone(secrets), func(v string) bool { return v == "" })
	if len(s) == 0 {
		return redactor{}
	}
	slices.SortFunc(s, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(s))
	for _, v := range s {
		pairs = append(pairs, v, redactedText)
	}
	return redactor{r: strings.NewReplacer(pairs...), longest: len(s[0])}
}

func (r redactor) apply(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// keep is how much a capture must hold so that a secret starting before
// the MaxOutput cut is seen whole and redacted, never shown in part.
func (r redactor) keep() int { return MaxOutput + r.longest }
