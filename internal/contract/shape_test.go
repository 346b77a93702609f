package contract

import (
	"encoding/json"
	"strings"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestMatch(t *testing.T) {
	cases := []struct {
		shape, value, wantErr string // wantErr "" means a match
	}{
		{`"string"`, `"x"`, ""},
		{`"string"`, `1`, "$: want string, got 1"},
		{`"integer"`, `2`, ""},
		{`"integer"`, `2.5`, "want integer"},
		{`"number"`, `2`, ""},
		{`"string|null"`, `null`, ""},
		{`"=ok"`, `"ok"`, ""},
		{`"=ok"`, `"error"`, `$: want "ok", got "error"`},
		{`200`, `200`, ""},
		{`true`, `false`, "want true"},
		{`"any"`, `{"a":[1]}`, ""},
		{`"strng"`, `"x"`, "unknown type"},
		{`{"a":"string","b?":"integer"}`, `{"a":"x","c":1}`, ""},
		{`{"a":"string"}`, `{"b":"x"}`, `missing key "a"`},
		{`{"a":{"b":"=1"}}`, `{"a":{"b":"2"}}`, "$.a.b"},
		{`[]`, `[1,"x"]`, ""},
		{`["integer"]`, `[]`, ""},
		{`["integer"]`, `[1,"x"]`, "$.1: want integer"},
		{`["+","integer"]`, `[]`, "at least one element"},
		{`["+",{"uri":"string"}]`, `[{"uri":"viking://x"}]`, ""},
		{`["a","b","c"]`, `[1]`, "an array shape is"},
		{`{"a":"string"}`, `[]`, "want an object"},
	}
	for _, c := range cases {
		err := Match(decode(t, c.shape), decode(t, c.value))
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("Match(%s, %s) = %v, want a match", c.shape, c.value, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("Match(%s, %s) = %v, want an error with %q", c.shape, c.value, err, c.wantErr)
		}
	}
}
