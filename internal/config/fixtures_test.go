package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/route"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestFullYAMLIsDefault keeps the configuration reference honest: the file
// the README links must say exactly what the code does.
func TestFullYAMLIsDefault(t *testing.T) {
	got, err := Parse(readFixture(t, "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	assertEqualConfig(t, got, Default())
}

// TestFullYAMLNamesEveryKey makes the reference complete: every key of every
// section is set in it. Route fields are documented in its comments, since
// each listed route sets only the fields it needs.
func TestFullYAMLNamesEveryKey(t *testing.T) {
	data := readFixture(t, "full.yaml")
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, missing := range missingKeys(reflect.TypeFor[Config](), doc.Content[0], "") {
		t.Errorf("full.yaml does not set %s", missing)
	}
	for _, key := range yamlKeys(reflect.TypeFor[route.Spec]()) {
		if !strings.Contains(string(data), "#   "+key+" ") {
			t.Errorf("full.yaml does not document the route field %s", key)
		}
	}
}

// missingKeys lists the struct fields of typ with no key in the mapping node.
func missingKeys(typ reflect.Type, node *yaml.Node, prefix string) []string {
	var missing []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		key, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "-" {
			continue
		}
		if key == "" && opts == "inline" {
			missing = append(missing, missingKeys(f.Type, node, prefix)...)
			continue
		}
		value := mappingValue(node, key)
		switch {
		case value == nil:
			missing = append(missing, prefix+key)
		case f.Type.Kind() == reflect.Struct:
			missing = append(missing, missingKeys(f.Type, value, prefix+key+".")...)
		}
	}
	return missing
}

func mappingValue(node *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i+1]
		}
	}
	return nil
}

func yamlKeys(typ reflect.Type) []string {
	keys := make([]string, typ.NumField())
	for i := range keys {
		keys[i] = strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]
	}
	return keys
}

func TestFixturesParse(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(names) < 4 {
		t.Fatalf("want at least 4 fixtures, got %v (%v)", names, err)
	}
	for _, name := range names {
		if _, err := Load(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMinimalFixture(t *testing.T) {
	got, err := Parse(readFixture(t, "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Listen = "0.0.0.0:8002"
	want.Upstreams.Primary.URL = "http://openviking:1933"
	want.Upstreams.Fallback.URL = "http://lightrag:9621"
	assertEqualConfig(t, got, want)
}

func TestDegradedFixtureHasThePlansNumbers(t *testing.T) {
	got, err := Parse(readFixture(t, "degraded.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Routing.Mode != "backup" || got.Cache.MaxEntries != 2000 || !got.Cache.Aggressive ||
		got.Cache.AggressiveTTL != time.Hour || !got.Queue.Enabled || got.Queue.MaxQueueSize != 1000 ||
		got.Queue.Timeout != 30*time.Second || got.Upstreams.Primary.Health.Interval != 15*time.Second {
		t.Errorf("degraded.yaml parsed to %+v", got)
	}
}

func TestProductionFixture(t *testing.T) {
	got, err := Parse(readFixture(t, "production.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(got.Routes))
	for i, r := range got.Routes {
		names[i] = r.Name
	}
	wantNames := []string{"health", "search", "session-create", "session-messages", "sessions", "system"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("routes = %v, want %v", names, wantNames)
	}
	if got.Routing.Mode != "split" || got.Routing.PrimaryWeight != 90 ||
		got.Upstreams.Primary.URL != "https://openviking.internal:1933/ov" ||
		got.Upstreams.Primary.Health.HealthyValues[0] != "ready" ||
		got.Admin.TokenEnv != "LIFEBOAT_PROD_ADMIN_TOKEN" || got.Log.Format != "json" ||
		got.Routes[1].CacheTTL != 30*time.Second || !got.TLS.Enabled() || got.TLS.ReloadInterval != 30*time.Second ||
		got.Upstreams.Primary.TLS.ServerName != "openviking.internal" || got.Upstreams.Fallback.TLS.CAFile == "" ||
		got.Admin.Listen != "10.0.0.5:8003" || got.Admin.TLS.ClientCAFile == "" || got.Admin.TLS.MinVersion != "1.2" {
		t.Errorf("production.yaml parsed to %+v", got)
	}
}
