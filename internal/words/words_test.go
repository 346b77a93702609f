package words

import "testing"

func TestWords(t *testing.T) {
	if OrNone("", "none") != "none" || OrNone("x", "none") != "x" {
		t.Error("OrNone")
	}
	if YesNo(true) != "yes" || YesNo(false) != "no" {
		t.Error("YesNo")
	}
}
