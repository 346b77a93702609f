package sim

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// uploadFile posts content as the multipart form the Python SDK sends.
func uploadFile(t *testing.T, base, name, content string, fields ...string) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, err := http.NewRequest("POST", base+"/api/v1/resources/temp_upload", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(t, req)
}

func do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	rep := reply{status: resp.StatusCode, header: resp.Header, raw: b.String()}
	_ = json.Unmarshal(b.Bytes(), &rep.body)
	return rep
}

func TestOpenVikingUploadThenAddResource(t *testing.T) {
	base := startServer(t, NewOpenViking(OpenVikingOptions{Seed: []Document{}})).URL()
	up := ovResult(t, uploadFile(t, base, "pump-manual.md", "The quokka pump needs oil monthly.\nSecond line.\n", "upload_mode", "local"))
	id, _ := up["temp_file_id"].(string)
	if !strings.HasPrefix(id, "upload_") || !strings.HasSuffix(id, ".md") {
		t.Fatalf("temp_file_id %q", id)
	}
	res := ovResult(t, call(t, "POST", base+"/api/v1/resources", map[string]any{"temp_file_id": id, "reason": "manual", "tags": []string{"team=ops"}}))
	if res["root_uri"] != "viking://resources/pump-manual" || res["status"] != "success" || res["source_path"] != "pump-manual.md" {
		t.Fatalf("add: %v", res)
	}
	for _, k := range []string{"errors", "meta"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result without %q: %v", k, res)
		}
	}
	hit := at(find(t, base, `{"query":"quokka pump","tags":["team=ops"]}`), "resources", 0)
	if at(hit, "uri") != "viking://resources/pump-manual" || at(hit, "tags", 0) != "team=ops" {
		t.Fatalf("the upload is not searchable: %v", hit)
	}
	if got := contentResult(t, content(t, base, "read", "viking://resources/pump-manual", "limit", "1")); got != "The quokka pump needs oil monthly.\n" {
		t.Fatalf("read: %q", got)
	}
	again := call(t, "POST", base+"/api/v1/resources", map[string]any{"temp_file_id": id})
	wantOVError(t, again, http.StatusForbidden, "PERMISSION_DENIED")
}

func TestOpenVikingRemoteResource(t *testing.T) {
	base := startServer(t, NewOpenViking(OpenVikingOptions{Seed: []Document{}})).URL()
	res := ovResult(t, call(t, "POST", base+"/api/v1/resources",
		`{"path":"https://example.com/docs/runbook.md","reason":"pager escalation runbook","parent":"viking://resources/ops","wait":true}`))
	if res["root_uri"] != "viking://resources/ops/runbook" {
		t.Fatalf("add: %v", res)
	}
	if got := find(t, base, `{"query":"escalation runbook"}`); at(got, "resources", 0, "abstract") != "pager escalation runbook" {
		t.Fatalf("find: %v", got)
	}
	to := ovResult(t, call(t, "POST", base+"/api/v1/resources", `{"path":"git@github.com:a/b.git","to":"viking://resources/code/b"}`))
	if to["root_uri"] != "viking://resources/code/b" {
		t.Fatalf("to: %v", to)
	}
}

func TestOpenVikingResourceRefusals(t *testing.T) {
	base := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	cases := []struct {
		body         string
		status       int
		code, prefix string
	}{
		{`{"reason":"x"}`, 400, "INVALID_ARGUMENT", "Invalid request parameters: body: Value error, Either 'path' or 'temp_file_id'"},
		{`{"path":"https://x.io/a","colour":"red"}`, 400, "INVALID_ARGUMENT", "Invalid request parameters: body.colour: Extra inputs"},
		{`{"path":"/docs/runbook.md"}`, 403, "PERMISSION_DENIED", "HTTP server only accepts remote resource URLs"},
		{`{"temp_file_id":"upload_nope.md"}`, 403, "PERMISSION_DENIED", "HTTP server only accepts regular files"},
		{`{"path":"https://x.io/a","to":"viking://user/me/x"}`, 400, "INVALID_URI", "Invalid URI: viking://user/me/x"},
		{`{"path":"https://x.io/a","to":"viking://resources/a","parent":"viking://resources"}`, 400, "INVALID_ARGUMENT", "Cannot specify both"},
		{`{"path":"https://x.io/a","add_type":"git"}`, 400, "INVALID_ARGUMENT", "Invalid request parameters: body: Value error, 'add_type' requires an exact 'to' target"},
	}
	for _, c := range cases {
		rep := call(t, "POST", base+"/api/v1/resources", c.body)
		wantOVError(t, rep, c.status, c.code)
		if msg, _ := at(rep.body, "error", "message").(string); !strings.HasPrefix(msg, c.prefix) {
			t.Errorf("%s: message %q, want it to start with %q", c.body, msg, c.prefix)
		}
	}
	wantOVError(t, call(t, "POST", base+"/api/v1/resources/temp_upload", `{"file":"x"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, uploadFile(t, base, "a.txt", "x", "upload_mode", "cloud"), http.StatusBadRequest, "INVALID_ARGUMENT")
}
