package config

import (
	"errors"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParse feeds Parse arbitrary YAML. Parse must never panic, must
// classify every failure as ErrParse or ErrInvalid, and whatever it accepts
// must be valid and survive a round trip through yaml.Marshal: a dumped
// configuration must load back as the same configuration. The admin token is
// left out of the round trip, because it is dumped redacted on purpose.
func FuzzParse(f *testing.F) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	// Each top-level section of each fixture is its own seed: whole
	// fixtures are kilobytes, and every new input the fuzzer finds from
	// one is minimised at a millisecond a run, which stalled the fuzzer
	// for tens of seconds at a time.
	for _, name := range names {
		for _, section := range sections(f, readFixture(f, filepath.Base(name))) {
			f.Add(section)
		}
	}
	for _, s := range []string{"", "{}", "breaker: {failure_threshold: 7}\n",
		"routes: [{name: a, methods: [GET], paths: [/a/*/b/**], cache_ttl: 90s}]\n",
		"admin: {token: s3cret}\ncache: {tenant_headers: []}\n",
		// Strings YAML must quote to read back: indicators, numbers, nulls,
		// booleans, line breaks and non-ASCII.
		"routes: [{name: \"a: b #c\", paths: [\"/é/\\u2028/~\"]}, {name: \"0x10\", paths: [/null]}, {name: 'yes', paths: [\"/-\"]}]\n",
		"upstreams: {primary: {health: {healthy_values: [\"\", \" ok\\n\", \"!tag\", \"*\"], json_field: \"&a\"}}}\n",
		"listen: \"[::1]:8002\"\nadmin: {token_env: \"\"}\nlog: &l {level: debug, format: json}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrParse) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid config: %v", err)
		}
		c.Admin.Token = ""
		out, err := yaml.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("dump does not parse: %v\n%s", err, out)
		}
		assertEqualConfig(t, back, c)
	})
}

// sections splits a YAML mapping document into one document per key.
func sections(f *testing.F, data []byte) [][]byte {
	f.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		f.Fatalf("fixture: %v", err)
	}
	m := doc.Content[0]
	var out [][]byte
	for i := 0; i+1 < len(m.Content); i += 2 {
		b, err := yaml.Marshal(&yaml.Node{Kind: yaml.MappingNode, Content: m.Content[i : i+2]})
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
