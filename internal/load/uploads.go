package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"time"
)

// uploadEvery makes every uploadEvery-th session of a writer begin, as an
// agent filing a document does, with a file uploaded (temp_upload) and
// added as a resource under a URI of its own.
const uploadEvery = 4

// Upload is a file the server acknowledged both uploading and adding as
// a resource; a reader finds its Content at URI.
type Upload struct {
	SessionID string    `json:"session_id"`
	URI       string    `json:"uri"`
	Content   string    `json:"content"`
	At        time.Time `json:"at"`
}

// uploader is one writer's upload of the current session: upload the
// file, then add the resource naming it. Only its worker touches it.
type uploader struct {
	stage   int // 0: nothing to do; 1: upload next; 2: add the resource next
	fileID  string
	pending Upload
	acked   []Upload
}

func (u *uploader) start(session int) {
	u.stage, u.fileID = 0, ""
	if session%uploadEvery == 1 {
		u.stage = 1
	}
}

func (u *uploader) busy() bool { return u.stage != 0 }

// call is the next upload request of session id, if one is due.
func (u *uploader) call(base, id string, h http.Header) (call, bool) {
	switch u.stage {
	case 1:
		u.pending = Upload{SessionID: id, URI: "viking://resources/lifeboat-load/" + id,
			Content: "lifeboat load upload for session " + id}
		body, ctype := multipartFile(id+".md", "# Notes\n"+u.pending.Content+"\n")
		hh := h.Clone()
		hh.Set("Content-Type", ctype)
		return call{label: "upload file", method: http.MethodPost, url: joinURL(base, "/api/v1/resources/temp_upload"),
			body: body, header: hh, keep: true}, true
	case 2:
		body, _ := json.Marshal(map[string]any{"temp_file_id": u.fileID, "to": u.pending.URI,
			"reason": "lifeboat load", "wait": false}) // maps of strings always encode
		return call{label: "add resource", method: http.MethodPost, url: joinURL(base, "/api/v1/resources"),
			body: string(body), header: h}, true
	}
	return call{}, false
}

// observe moves on after an upload request's answer; a failed step ends
// this session's upload, which is then neither acknowledged nor expected.
func (u *uploader) observe(ok bool, body []byte, at time.Time) {
	if !ok {
		u.stage = 0
		return
	}
	if u.stage == 1 {
		var env struct {
			Result struct {
				TempFileID string `json:"temp_file_id"`
			} `json:"result"`
		}
		if json.Unmarshal(body, &env) != nil || env.Result.TempFileID == "" {
			u.stage = 0
			return
		}
		u.fileID, u.stage = env.Result.TempFileID, 2
		return
	}
	u.pending.At = at
	u.acked = append(u.acked, u.pending)
	u.stage = 0
}

// multipartFile is a form with one file field, as OpenViking's SDK sends
// temp_upload.
func multipartFile(name, content string) (body, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name) // writing to memory cannot fail
	_, _ = fmt.Fprint(fw, content)
	_ = mw.Close()
	return buf.String(), mw.FormDataContentType()
}
