package app_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

// asProcess runs the replica as `lifeboat serve --config FILE` in a child
// process of the test binary: the real command, reading its settings from
// a file, that a test kills with SIGKILL as an operator's kill -9 would.
func asProcess(t *testing.T, c config.Config, link *etcdtest.Link) *replica {
	t.Helper()
	path := writeConfigFile(t, c)
	proc, addr := startChild(t, c.Cluster.Name, "serve --config "+path, `msg="lifeboat listening" addr=(\S+)`)
	return &replica{name: c.Cluster.Name, base: "http://" + addr, link: link, dir: c.Escalation.DataDir, proc: proc}
}

// writeConfigFile writes c as a YAML file of its own and checks that the
// file loads back as c, so a process replica runs what the test set.
func writeConfigFile(t *testing.T, c config.Config) string {
	t.Helper()
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		t.Fatal(err)
	}
	// Secrets marshal redacted, so the notifiers' URLs, the only secrets
	// these tests set, are written in clear by hand.
	revealNotifierURLs(t, &doc, c.Notify.Notifiers)
	data, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(secret.Redacted)) {
		t.Fatalf("the config sets a secret this file would carry redacted:\n%s", data)
	}
	checkReadsBack(t, data, c)
	path := filepath.Join(t.TempDir(), "lifeboat.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// revealNotifierURLs sets each notifier's url in the encoded config doc to
// its clear value.
func revealNotifierURLs(t *testing.T, doc *yaml.Node, ns []config.NotifierConfig) {
	t.Helper()
	if len(ns) == 0 {
		return
	}
	list := mappingValue(doc, "notify", "notifiers")
	if list == nil || len(list.Content) != len(ns) {
		t.Fatalf("the encoded config has no list of %d notifiers", len(ns))
	}
	for i, n := range ns {
		url := mappingValue(list.Content[i], "url")
		if url == nil {
			t.Fatalf("notifier %s has no url in the encoded config", n.Name)
		}
		url.Value, url.Tag, url.Style = n.URL.Reveal(), "!!str", yaml.DoubleQuotedStyle
	}
}

// mappingValue follows keys down nested mappings, nil if one is missing.
func mappingValue(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		var next *yaml.Node
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// checkReadsBack fails unless data, loaded as lifeboat serve loads its
// file, is c: every field as YAML writes it, and the notifiers' URLs,
// which YAML writes redacted, in clear.
func checkReadsBack(t *testing.T, data []byte, c config.Config) {
	t.Helper()
	back, err := config.Parse(data)
	if err != nil {
		t.Fatalf("the config file does not load: %v\n%s", err, data)
	}
	want, got := marshalYAML(t, c), marshalYAML(t, back)
	if got != want {
		t.Fatalf("the config file loads back differently: %s", firstDifference(got, want))
	}
	for i, n := range c.Notify.Notifiers {
		if back.Notify.Notifiers[i].URL != n.URL {
			t.Fatalf("notifier %s's url does not load back", n.Name)
		}
	}
}

func marshalYAML(t *testing.T, c config.Config) string {
	t.Helper()
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// firstDifference names the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d is %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
