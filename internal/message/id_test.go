package message

import "testing"

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{"a": true, "A-z_0.9": true, "": false, "a b": false, "é": false, "a/b": false} {
		if ValidID(id) != want {
			t.Errorf("ValidID(%q) = %v", id, !want)
		}
	}
}
