package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds of the uploads the journal keeps while the primary is away.
const (
	// defaultMaxUpload bounds one temp_upload body.
	defaultMaxUpload = 32 << 20
	// defaultUploadBytes bounds all kept uploads together; past it an
	// upload is refused with 503, so the client retries later instead of
	// filling the disk.
	defaultUploadBytes = 512 << 20
	// uploadPrefix starts the temp_file_ids the journal gives, so a
	// resource naming one is known to need the primary's id on replay.
	uploadPrefix = "lifeboat-upload-"
)

// ErrFull is an upload refused because the kept uploads reached their
// bound; the client is told to retry.
var ErrFull = errors.New("journal: uploads are full")

// uploadDir is where kept uploads live: beside the journal file.
func (j *Journal) uploadDir() string { return j.o.Path + uploadsSuffix }

// upload journals POST /api/v1/resources/temp_upload: the multipart body
// is kept, as sent, in a file of its own (fsynced before the op is
// appended), and the client gets a temp_file_id of the journal's. The
// replay uploads the body to the primary and uses the primary's id in
// the resource ops that name the journal's.
func (j *Journal) upload(r *http.Request) (map[string]string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get(headerType))
	if err != nil || mt != "multipart/form-data" {
		return nil, invalid("temp_upload takes multipart/form-data with a file field")
	}
	id := uploadPrefix + newUUID()
	if j.sh != nil {
		if err := j.sh.upload(r, uploadRecord(r, id)); err != nil {
			return nil, err
		}
		return map[string]string{"temp_file_id": id}, nil
	}
	name := filepath.Join(j.uploadDir(), id)
	j.uploading(id, true)
	defer j.uploading(id, false)
	if err := j.keepUpload(r.Body, name); err != nil {
		return nil, err
	}
	rec := uploadRecord(r, id)
	if err := j.append(rec, func(*state) error { return nil }, nil); err != nil {
		_ = os.Remove(name)
		return nil, err
	}
	return map[string]string{"temp_file_id": id}, nil
}

// uploadRecord is the op of upload id, whose body is kept in the file
// named by id beside the journal.
func uploadRecord(r *http.Request, id string) *record {
	q := capture(r, nil)
	q.Body = mustJSON(map[string]string{"file": id})
	return &record{Kind: kindUpload, Req: q, Upload: id}
}

// keepUpload writes body to name, durably, within the bounds.
func (j *Journal) keepUpload(body io.ReadCloser, name string) error {
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	used := dirSize(filepath.Dir(name))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(body, j.maxUpload()+1))
	if err == nil && n > j.maxUpload() {
		err = j.tooLarge()
	}
	if err == nil && used+n > j.uploadBytes() {
		err = fmt.Errorf("%w: %d bytes kept", ErrFull, used)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(name))
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
}

// tooLarge refuses an upload over MaxUploadBytes.
func (j *Journal) tooLarge() error {
	return invalid("upload too large: more than " + strconv.FormatInt(j.maxUpload(), 10) + " bytes")
}

func (j *Journal) maxUpload() int64   { return cmpOr(j.o.MaxUploadBytes, defaultMaxUpload) }
func (j *Journal) uploadBytes() int64 { return cmpOr(j.o.UploadBytes, defaultUploadBytes) }

func cmpOr(v, def int64) int64 {
	if v <= 0 {
		return def
	}
	return v
}

// dirSize is the bytes of the files in dir (0 when it cannot be read).
func dirSize(dir string) int64 {
	entries, _ := os.ReadDir(dir)
	var n int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			n += info.Size()
		}
	}
	return n
}

// uploading marks upload id as being written (on) or done with (off), so
// a reset between writing its file and appending its op keeps the file.
func (j *Journal) uploading(id string, on bool) {
	j.upMu.Lock()
	defer j.upMu.Unlock()
	if j.inflight == nil {
		j.inflight = map[string]bool{}
	}
	if on {
		j.inflight[id] = true
	} else {
		delete(j.inflight, id)
	}
}

// removeUploads deletes the kept uploads once nothing is pending, but for
// those still being taken (their ops not appended yet).
func (j *Journal) removeUploads() {
	j.upMu.Lock()
	defer j.upMu.Unlock()
	entries, _ := os.ReadDir(j.uploadDir()) // no directory: nothing to remove
	for _, e := range entries {
		if !j.inflight[e.Name()] {
			_ = os.Remove(filepath.Join(j.uploadDir(), e.Name()))
		}
	}
}

// upload sends a kept upload to the primary as its client sent it and
// remembers the primary's temp_file_id. Uploading twice leaves an unused
// temporary file on the primary, which it expires, so a resumed replay
// needs no marker.
func (r *replayer) upload(ctx context.Context, o *op) (result, error) {
	var ref struct {
		File string `json:"file"`
	}
	_ = json.Unmarshal(o.rec.Req.Body, &ref) // written by upload
	data, err := os.ReadFile(filepath.Join(r.j.uploadDir(), filepath.Base(ref.File)))
	if err != nil { // the kept file is gone: the upload cannot be replayed, and says so
		return conflicted(outcomeFailed, ConflictRejected, fmt.Sprintf("upload %s: %v", o.rec.Upload, err), true), nil
	}
	q := *o.rec.Req
	q.Body = data
	rp, err := r.p.do(ctx, &q)
	if err == nil && !rp.found() {
		err = rp.rejection()
	}
	if err != nil {
		return result{}, err
	}
	var res struct {
		TempFileID string `json:"temp_file_id"`
	}
	if json.Unmarshal(rp.result, &res) != nil || res.TempFileID == "" {
		return result{}, fmt.Errorf("%w: upload answered without a temp_file_id", ErrPrimary)
	}
	return result{outcome: outcomeApplied, upload: res.TempFileID}, nil
}

// resource adds a resource as its client sent it; one naming an upload the
// journal kept names the primary's copy instead.
func (r *replayer) resource(ctx context.Context, o *op) (result, error) {
	q := *o.rec.Req
	var req struct {
		TempFileID string `json:"temp_file_id"`
	}
	if json.Unmarshal(q.Body, &req) == nil && strings.HasPrefix(req.TempFileID, uploadPrefix) {
		mapped, ok := r.j.uploadID(req.TempFileID)
		if !ok {
			detail := fmt.Sprintf("upload %s is not on the primary", req.TempFileID)
			return conflicted(outcomeFailed, ConflictRejected, detail, true), nil
		}
		body, err := setField(q.Body, "temp_file_id", mapped)
		if err != nil {
			return result{}, err
		}
		q.Body = body
	}
	return result{outcome: outcomeApplied}, r.send(ctx, o, &q)
}

// uploadID is the primary's temp_file_id of one the journal gave.
func (j *Journal) uploadID(id string) (string, bool) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	v, ok := j.st.uploads[id]
	return v, ok
}

// resource passes a resource add on to the primary; one naming an upload
// the journal took (the client uploaded while the primary was away) names
// the primary's copy once that upload is replayed, and before that is
// journaled too, after its upload, so the primary never sees an id it
// did not give.
func (o *observer) resource(r *http.Request) (*http.Response, error) {
	body, err := readBody(r)
	if err != nil {
		a := newAnswer(o.j, r)
		a.fail(err)
		return a.response(), nil
	}
	var req struct {
		TempFileID string `json:"temp_file_id"`
	}
	if json.Unmarshal(body, &req) == nil && strings.HasPrefix(req.TempFileID, uploadPrefix) {
		mapped, ok := o.j.uploadID(req.TempFileID)
		if !ok {
			t := &transport{j: o.j, next: o.fallback}
			return t.resource(newAnswer(o.j, r), body)
		}
		if body, err = setField(body, "temp_file_id", mapped); err != nil {
			return nil, err
		}
	}
	out := r.Clone(r.Context())
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return o.next.RoundTrip(out)
}

// rejecting is the next hop of a resource the observer journals when it
// was given no fallback side: there is no fallback copy to make, so the
// journal answers with its own result.
type rejecting struct{}

func (rejecting) RoundTrip(*http.Request) (*http.Response, error) { return nil, errNoNext }

var errNoNext = errors.New("journal: no next hop")

// maxIndexedText bounds the text of an upload handed to the fallback.
const maxIndexedText = 256 << 10

// uploadText is the text of an upload the journal kept: its file part,
// when that is UTF-8 text (a binary file is not indexed).
func (j *Journal) uploadText(id string) (string, bool) {
	if !strings.HasPrefix(id, uploadPrefix) || strings.ContainsAny(id, "/\\") {
		return "", false
	}
	j.mu.RLock()
	ctype := j.st.kept[id]
	j.mu.RUnlock()
	if ctype == "" {
		return "", false
	}
	data, err := os.ReadFile(filepath.Join(j.uploadDir(), id))
	if err != nil {
		return "", false
	}
	return fileText(ctype, data)
}

// fileText reads the "file" part of a multipart body as text.
func fileText(ctype string, body []byte) (string, bool) {
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return "", false
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", false
		}
		if p.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, maxIndexedText))
		if err != nil || !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return "", false
		}
		return string(data), true
	}
}
