package sim

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"sync"
)

// Bounds of the simulator's temporary uploads. OpenViking allows 512 MiB
// a file and cleans old uploads by age; the simulator keeps less, in
// memory, but enough that an upload is still there when a resource names
// it minutes later (a drill's outage journals the resource add and
// replays it after hundreds of other uploads).
const (
	maxUploadBytes = 8 << 20
	maxUploads     = 4096
	maxKeptBytes   = 256 << 20
)

// upload is one file posted to /api/v1/resources/temp_upload.
type upload struct {
	name string // the client's file name, "" when none was sent
	data []byte
}

// uploadStore keeps temporary uploads until a resource consumes them,
// dropping the oldest beyond maxUploads. The zero value is ready.
type uploadStore struct {
	mu    sync.Mutex
	files map[string]upload
	order []string // ids, oldest first
	bytes int      // the kept files' sizes
}

func (s *uploadStore) put(id string, u upload) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string]upload{}
	}
	s.files[id] = u
	s.order = append(s.order, id)
	s.bytes += len(u.data)
	for len(s.order) > maxUploads || s.bytes > maxKeptBytes {
		s.bytes -= len(s.files[s.order[0]].data)
		delete(s.files, s.order[0])
		s.order = s.order[1:]
	}
}

// take removes and returns upload id: an upload serves one resource.
func (s *uploadStore) take(id string) (upload, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.files[id]
	delete(s.files, id)
	s.bytes -= len(u.data)
	return u, ok
}

// tempUpload serves POST /api/v1/resources/temp_upload
// (openviking/server/routers/resources.py, temp_upload): a multipart form
// with the file in "file" and optional "telemetry" and "upload_mode"
// fields, answered with {"temp_file_id": …} (TempUploadStore._save_local
// names it upload_<hex><extension>).
func (o *OpenViking) tempUpload(r *http.Request) (any, error) {
	if _, err := userOf(r); err != nil {
		return nil, err
	}
	u, mode, err := readUpload(r)
	if err != nil {
		return nil, err
	}
	prefix := "upload_"
	if mode == "shared" {
		prefix = "shared_"
	}
	id := prefix + randomHex(16) + path.Ext(u.name)
	o.uploads.put(id, u)
	return map[string]string{"temp_file_id": id}, nil
}

// readUpload streams the form, keeping the file and the upload mode.
func readUpload(r *http.Request) (upload, string, error) {
	missing := invalidRequest(ovIssue{Loc: []string{"body", "file"}, Message: "Field required", Type: "missing"})
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "multipart/form-data" {
		return upload{}, "", missing
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return upload{}, "", missing
	}
	var u *upload
	mode := "local"
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return upload{}, "", errInvalidArgument("reading the multipart body: " + err.Error())
		}
		switch part.FormName() {
		case "file":
			f, err := readFilePart(part)
			if err != nil {
				return upload{}, "", err
			}
			u = &f
		case "upload_mode":
			mode = readSmall(part)
			if mode != "local" && mode != "shared" {
				return upload{}, "", fieldIssue("upload_mode", "literal_error", "Input should be 'local' or 'shared'")
			}
		}
	}
	if u == nil {
		return upload{}, "", missing
	}
	return *u, mode, nil
}

func readFilePart(part *multipart.Part) (upload, error) {
	data, err := io.ReadAll(io.LimitReader(part, maxUploadBytes+1))
	if err != nil {
		return upload{}, errInvalidArgument("reading the uploaded file: " + err.Error())
	}
	if len(data) > maxUploadBytes {
		return upload{}, errInvalidArgument("Upload exceeds size limit (" + strconv.Itoa(maxUploadBytes) + " bytes).")
	}
	return upload{name: part.FileName(), data: data}, nil
}

// readSmall reads a short form field; longer values are cut.
func readSmall(part *multipart.Part) string {
	b, _ := io.ReadAll(io.LimitReader(part, 256))
	return string(b)
}
