package action

import (
	"strings"
	"testing"
)

func TestCaptureKeepsAndCounts(t *testing.T) {
	c := newCapture(MaxOutput)
	for range 5 {
		c.Write([]byte(strings.Repeat("x", MaxOutput/2)))
	}
	out := c.text(redactor{})
	if out != strings.Repeat("x", MaxOutput)+"\n[output truncated: 24576 more bytes]" {
		t.Fatalf("len %d, tail %q", len(out), out[len(out)-40:])
	}
	if len(c.buf) != MaxOutput {
		t.Fatalf("kept %d bytes, want %d", len(c.buf), MaxOutput)
	}
}

func TestCaptureShortOutputUntouched(t *testing.T) {
	c := newCapture(MaxOutput)
	c.Write([]byte("hello"))
	if out := c.text(redactor{}); out != "hello" {
		t.Fatalf("out = %q", out)
	}
}

func TestCutUTF8(t *testing.T) {
	s := "ab\u2603cd" // the snowman is 3 bytes, at 2..4
	for n, want := range map[int]string{2: "ab", 3: "ab", 4: "ab", 5: "ab\u2603", 99: s} {
		if got := cutUTF8(s, n); got != want {
			t.Errorf("cutUTF8(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRedactorPrefersLongestSecret(t *testing.T) {
	r := newRedactor([]string{"abc", "abcdef", ""})
	if got := r.apply("x abcdef y abc z"); got != "x <redacted> y <redacted> z" {
		t.Fatalf("got %q", got)
	}
	if r.keep() != MaxOutput+6 {
		t.Fatalf("keep = %d", r.keep())
	}
	if got := (redactor{}).apply("abc"); got != "abc" {
		t.Fatalf("zero redactor changed text: %q", got)
	}
}
