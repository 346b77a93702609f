package lines

import "testing"

func TestSliceIsPythons(t *testing.T) {
	text := "a\nb\nc\n"
	cases := []struct {
		offset, limit int
		want          string
	}{{0, -1, text}, {0, 1, "a\n"}, {1, 1, "b\n"}, {-1, -1, "c\n"}, {2, 5, "c\n"}, {5, 1, ""}, {-2, 1, "b\n"}, {0, 0, ""}}
	for _, c := range cases {
		if got := Slice(text, c.offset, c.limit); got != c.want {
			t.Errorf("Slice(%d, %d) = %q, want %q", c.offset, c.limit, got, c.want)
		}
	}
	// A last line without its end (cases from the simulator's own test).
	for _, c := range []struct {
		offset, limit int
		want          string
	}{{0, -1, "a\nb\nc"}, {1, -1, "b\nc"}, {0, 2, "a\nb\n"}, {-1, -1, "c"}, {1, 0, ""}} {
		if got := Slice("a\nb\nc", c.offset, c.limit); got != c.want {
			t.Errorf("Slice(%d, %d) = %q, want %q", c.offset, c.limit, got, c.want)
		}
	}
	if got := Slice("no newline", 0, 1); got != "no newline" {
		t.Errorf("a last line without its end: %q", got)
	}
}
