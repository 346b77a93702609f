package jsonpath

import (
	"errors"
	"slices"
	"testing"
)

func TestLookupWalksKeysAndArrays(t *testing.T) {
	doc, err := Decode([]byte(`{"result":{"total":2,"resources":[{"uri":"a"},{"uri":"b"},{"x":1}]},"list":[[1],[2,3]]}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"result.resources[].uri": {"a", "b"},
		"result.total":           {"2"},
		"list[].[]":              {"1", "2", "3"},
		"result.missing":         nil,
		"result.total[]":         nil,
	}
	for path, want := range cases {
		p, err := Compile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var got []string
		for _, v := range p.Lookup(doc) {
			got = append(got, Text(v))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

func TestBadPathsAndAnswers(t *testing.T) {
	for _, p := range []string{"", "a..b", "a[0]", "a.[x]"} {
		if _, err := Compile(p); !errors.Is(err, ErrPath) {
			t.Errorf("Compile(%q) = %v, want ErrPath", p, err)
		}
	}
	if _, err := Decode([]byte("<html>")); !errors.Is(err, ErrNotJSON) {
		t.Errorf("Decode(html) = %v, want ErrNotJSON", err)
	}
}

func TestPreviewAndShorten(t *testing.T) {
	got := Preview([]any{"a", "b", "c", "d"}, 10)
	if got != "[a, b, c, ... 1 more]" {
		t.Errorf("Preview = %q", got)
	}
	if got := Shorten("héllo wörld", 3); got != "hé..." {
		t.Errorf("Shorten = %q", got)
	}
}
