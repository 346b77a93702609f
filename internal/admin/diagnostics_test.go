package admin_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"path"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// Secrets of the diagnostics tests. The webhook URL has an & so that JSON
// escapes it (\u0026): scrubbing must catch that form too.
const (
	adminToken = "tok-9f8e7d6c5b4a"
	webhookURL = "https://hooks.slack.com/services/T000/B000/XyZsecret?channel=ops&key=k3y"
	routingKey = "pd-routing-key-0123456789"
)

// secretConfig is an effective configuration with an admin token and
// notifier secrets, dumped the way the app dumps it.
func secretConfig(t *testing.T) []byte {
	t.Helper()
	c := config.Default()
	c.Admin.Token = adminToken
	c.Notify.Notifiers = []config.NotifierConfig{
		{Name: "slack", Type: "slack", URL: webhookURL},
		{Name: "pager", Type: "pagerduty", RoutingKey: routingKey},
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// untar reads a gzipped tar into file name (without its directory) →
// content, checking every entry sits in one directory.
func untar(t *testing.T, data []byte) (string, map[string][]byte) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	tr := tar.NewReader(zr)
	files, dir := map[string][]byte{}, ""
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return dir, files
		}
		if err != nil {
			t.Fatal(err)
		}
		d, name := path.Split(hdr.Name)
		if dir != "" && d != dir {
			t.Fatalf("entry %s outside %s", hdr.Name, dir)
		}
		dir = d
		files[name], _ = io.ReadAll(tr)
	}
}

func TestDiagnosticsBundleHasEverythingAndNoSecret(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Incidents: true, Token: adminToken,
		Config: secretConfig(t), Secrets: []string{webhookURL, routingKey}})
	// An event that quotes secrets, as an HTTP client's error does.
	s.Events.Emit(event.Event{Time: s.Incidents.Now, Kind: "notify.failed", Source: "notify", Severity: event.Warning,
		Message: "Post " + webhookURL + ": connection refused (token " + adminToken + ")",
		Fields:  map[string]any{"url": webhookURL, "routing_key": routingKey}})
	code, ctype, body := do(t, "GET", s.URL+"/admin/diagnostics", "", "Authorization", "Bearer "+adminToken)
	if code != 200 || ctype != "application/gzip" {
		t.Fatalf("diagnostics: %d %q %s", code, ctype, body)
	}
	dir, files := untar(t, body)
	if dir != "lifeboat-diagnostics-20000101-002000/" {
		t.Fatalf("archive directory %q", dir)
	}
	for _, name := range []string{"manifest.json", "status.json", "config.yaml", "events.json", "log.jsonl", "incidents.json", "history.json"} {
		if len(files[name]) == 0 {
			t.Errorf("archive lacks %s (has %d files)", name, len(files))
		}
	}
	for name, data := range files {
		for _, secret := range []string{adminToken, webhookURL, "XyZsecret", routingKey} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s contains the secret %q", name, secret)
			}
		}
	}
	if !bytes.Contains(files["config.yaml"], []byte("<redacted>")) || !bytes.Contains(files["log.jsonl"], []byte("Post <redacted>: connection refused")) {
		t.Fatalf("secrets were not replaced by the marker:\n%s\n%s", files["config.yaml"], files["log.jsonl"])
	}
	checkContents(t, s.Incidents, files)
}

// checkContents reads each file back and checks it holds what it should.
func checkContents(t *testing.T, in *clienttest.Incidents, files map[string][]byte) {
	t.Helper()
	var manifest struct {
		Files    []string `json:"files"`
		Problems []string `json:"problems"`
	}
	var status map[string]any
	var incs []incident.Incident
	var samples []history.Sample
	for name, v := range map[string]any{"manifest.json": &manifest, "status.json": &status, "incidents.json": &incs, "history.json": &samples} {
		if err := json.Unmarshal(files[name], v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(manifest.Files) != 6 || len(manifest.Problems) != 0 {
		t.Fatalf("manifest: %+v", manifest)
	}
	if status["status"] == nil || status["escalation"] == nil || status["routing"] == nil {
		t.Fatalf("status.json is not the /status document: %v", status)
	}
	if len(incs) != 2 || incs[0].ID != in.Open || incs[1].ID != in.Outage || len(incs[1].Timeline) != 12 || len(incs[1].Checklists) != 2 {
		t.Fatalf("incidents.json: %d incidents", len(incs))
	}
	// The last hour before Now (Start+20m) is all the history up to then.
	if len(samples) != 240 || !samples[len(samples)-1].Time.Equal(in.Now) {
		t.Fatalf("history.json: %d samples, want 240 ending at %v", len(samples), in.Now)
	}
	lines := 0
	for sc := bufio.NewScanner(bytes.NewReader(files["log.jsonl"])); sc.Scan(); lines++ {
		var e event.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Kind == "" {
			t.Fatalf("log.jsonl line %d: %q %v", lines+1, sc.Text(), err)
		}
	}
	if lines != 1 {
		t.Fatalf("log.jsonl: %d lines, want the 1 event", lines)
	}
}

func TestDiagnosticsWithoutEscalationSaysWhatIsMissing(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{NoEngine: true})
	code, _, body := do(t, "GET", s.URL+"/admin/diagnostics", "")
	_, files := untar(t, body)
	var manifest struct{ Problems []string }
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil || code != 200 {
		t.Fatalf("%d %v", code, err)
	}
	joined := strings.Join(manifest.Problems, "\n")
	for _, want := range []string{"config.yaml: no configuration", "incidents.json, history.json: incidents: are disabled"} {
		if !strings.Contains(joined, want) {
			t.Errorf("manifest problems %q lack %q", joined, want)
		}
	}
	if files["status.json"] == nil || files["incidents.json"] != nil {
		t.Fatalf("files: status %d bytes, incidents %d bytes", len(files["status.json"]), len(files["incidents.json"]))
	}
}
