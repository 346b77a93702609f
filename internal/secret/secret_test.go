package secret

import (
	"encoding/json"
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A set secret is hidden from fmt, JSON and YAML alike; an empty one
// prints empty, so an unset token never looks set.
func TestSecretNeverLeaves(t *testing.T) {
	s := Secret("hunter2")
	j, _ := json.Marshal(map[string]Secret{"k": s})
	y, _ := yaml.Marshal(map[string]Secret{"k": s})
	if got := fmt.Sprintf("%v %#v", s, s); got != `<redacted> "<redacted>"` {
		t.Errorf("fmt = %s", got)
	}
	if string(j) != `{"k":"\u003credacted\u003e"}` || string(y) != "k: <redacted>\n" {
		t.Errorf("json %s, yaml %s", j, y)
	}
	if fmt.Sprint(Secret("")) != "" || s.Reveal() != "hunter2" {
		t.Errorf("empty prints %q, Reveal = %q", fmt.Sprint(Secret("")), s.Reveal())
	}
}
