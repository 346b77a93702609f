package app_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// An agent uploads a file and adds it as a resource while the primary is
// down: the add is journaled for the primary, the text is indexed into the
// fallback so a search during the outage finds it, and the answer says
// both; when the primary is back it gets the file and the resource.
func TestUploadDuringTheOutageIsSearchableAndReplayed(t *testing.T) {
	a, base, ov := startJournalApp(t)
	outage(t, a)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "wombat.md")
	_, _ = fw.Write([]byte("# Wombat runbook\nrestart the wombat service twice\n"))
	_ = mw.Close()
	resp, err := http.Post(base+"/api/v1/resources/temp_upload", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		Result struct {
			TempFileID string `json:"temp_file_id"`
		} `json:"result"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if resp.StatusCode != 200 || up.Result.TempFileID == "" {
		t.Fatalf("upload: %d %+v", resp.StatusCode, up)
	}
	code, body := post(t, base+"/api/v1/resources", `{"temp_file_id":"`+up.Result.TempFileID+`","to":"viking://resources/runbooks/wombat","reason":"runbook"}`)
	if code != 200 || !strings.Contains(body, `"journaled":true`) || !strings.Contains(body, `"indexed":"success"`) {
		t.Fatalf("add: %d %s", code, body)
	}
	eventually(t, "the fallback finds the upload", func() bool {
		_, found := post(t, base+"/api/v1/search/find", `{"query":"wombat runbook"}`)
		return strings.Contains(found, "viking://resources/runbooks/wombat")
	})
	if st := journalStatus(t, base); st["appended"] != 2.0 {
		t.Fatalf("the journal took %v writes, want the upload and the add, once each", st["appended"])
	}
	a.Faults().Clear("test")
	eventually(t, "the journal drained", func() bool { return journalStatus(t, base)["pending"] == 0.0 })
	if doc, ok := ov.Document("viking://resources/runbooks/wombat"); !ok || !strings.Contains(doc.Text, "restart the wombat service twice") {
		t.Fatalf("the primary holds %v %+v, want the uploaded file", ok, doc)
	}
}
