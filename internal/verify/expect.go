package verify

import (
	"encoding/json"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"slices"
	"strings"
)

// check tests the condition against the values found at its path and
// explains a failure.
func (e Expect) check(doc any) error {
	values := lookup(doc, e.Path)
	if e.match(values) {
		return nil
	}
	if len(values) == 0 {
		return fmt.Errorf("%s: nothing at that path, want %s", e.Path, e.want())
	}
	return fmt.Errorf("%s is %s, want %s", e.Path, jsonpath.Preview(values, 80), e.want())
}

func (e Expect) match(values []any) bool {
	for _, v := range values {
		switch {
		case e.Contains != "":
			if jsonpath.Text(v) == e.Contains {
				return true
			}
		case len(e.OneOf) > 0:
			if slices.Contains(e.OneOf, jsonpath.Text(v)) {
				return true
			}
		default:
			if n, ok := v.(json.Number); ok {
				if f, err := n.Float64(); err == nil && f >= e.Min {
					return true
				}
			}
		}
	}
	return false
}

// want describes the condition.
func (e Expect) want() string {
	switch {
	case e.Contains != "":
		return fmt.Sprintf("%q", e.Contains)
	case len(e.OneOf) > 0:
		return "one of " + strings.Join(e.OneOf, "|")
	}
	return fmt.Sprintf("a number >= %g", e.Min)
}

// fill returns e with its placeholders filled in.
func (e Expect) fill(vars map[string]string) (Expect, error) {
	var err error
	if e.Contains, err = fill(e.Contains, vars); err != nil {
		return e, err
	}
	e.OneOf = slices.Clone(e.OneOf)
	for i := range e.OneOf {
		if e.OneOf[i], err = fill(e.OneOf[i], vars); err != nil {
			return e, err
		}
	}
	return e, nil
}
