package signal

import (
	"errors"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"testing"
)

const findAnswer = `{"status":"ok","result":{
	"resources":[{"uri":"viking://a","score":0.4},{"uri":"viking://b","score":0.9}],
	"memories":[],"total":2,"flag":true},
	"matrix":[[1,2],[3]]}`

func TestExpectMatch(t *testing.T) {
	cases := []struct {
		name   string
		expect Expect
		want   bool
	}{
		{"contains in array", Expect{Path: "result.resources[].uri", Contains: "viking://b"}, true},
		{"contains missing", Expect{Path: "result.resources[].uri", Contains: "viking://c"}, false},
		{"contains is exact", Expect{Path: "result.resources[].uri", Contains: "viking://"}, false},
		{"empty array", Expect{Path: "result.memories[].uri", Contains: "x"}, false},
		{"number as text", Expect{Path: "result.total", Contains: "2"}, true},
		{"bool as text", Expect{Path: "result.flag", Contains: "true"}, true},
		{"min met", Expect{Path: "result.total", Min: 1}, true},
		{"min missed", Expect{Path: "result.total", Min: 3}, false},
		{"min on any element", Expect{Path: "result.resources[].score", Min: 0.5}, true},
		{"min on strings", Expect{Path: "result.resources[].uri", Min: 0}, false},
		{"bare array step", Expect{Path: "matrix[].[]", Contains: "3"}, true},
		{"missing key", Expect{Path: "result.nope", Min: 0}, false},
		{"key under a scalar", Expect{Path: "status.deeper", Contains: "ok"}, false},
		{"walk a non-array", Expect{Path: "result.total[]", Min: 0}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps, err := c.expect.compile()
			if err != nil {
				t.Fatal(err)
			}
			values, err := collect([]byte(findAnswer), steps)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.expect.match(values); got != c.want {
				t.Fatalf("match = %v, want %v (values %s)", got, c.want, jsonpath.Preview(values, maxShown))
			}
		})
	}
}

func TestExpectCompileRejects(t *testing.T) {
	for _, e := range []Expect{
		{}, {Path: "a..b"}, {Path: "a[0]"}, {Path: "."}, {Path: "a", Status: 42},
	} {
		if _, err := e.compile(); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err = %v, want ErrConfig", e, err)
		}
	}
}

func TestExpectNotJSON(t *testing.T) {
	steps, _ := Expect{Path: "a", Min: 0}.compile()
	if _, err := collect([]byte("<html>"), steps); !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v", err)
	}
}
