package journal

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// Uploads in the shared mode. An upload's body goes through the shared
// log in chunk records, then its op; every replica writes the chunks it
// applies to its own copy beside its journal, so any replica can replay
// the upload, and one that lost its disk gets the copy back from the log.

// partial is an upload whose chunks are applying and whose op has not
// applied yet.
type partial struct {
	first   int64 // position of its first chunk: the log is not trimmed from there
	bytes   int64
	at      int64 // its last chunk's time, Unix milliseconds
	damaged bool  // writing this replica's copy failed
}

// upload keeps req's body through the shared log in chunks, within the
// bounds local uploads have, then appends its op and waits for it. On
// any failure the chunks sent are abandoned, so no replica keeps them.
func (r *replica) upload(req *http.Request, rec *record) error {
	defer req.Body.Close()
	r.j.mu.RLock()
	used := r.usedLocked()
	r.j.mu.RUnlock()
	err := r.sendChunks(req.Body, rec.Upload, used)
	if err == nil {
		err = r.append(rec, nil)
	}
	if err != nil {
		// Wait for the abandonment to apply here, so the refusal changes
		// nothing this replica's next upload could see: its chunks would
		// otherwise still count against the total. If it cannot be
		// appended, the orphan goes with the next idle header anyway.
		_, _ = r.submit(&record{Kind: kindChunk, Upload: rec.Upload, Part: -1}, nil)
	}
	return err
}

// sendChunks appends body in chunks; there is always a first one, which
// starts the upload's copy on every replica.
func (r *replica) sendChunks(body io.Reader, id string, used int64) error {
	buf := make([]byte, r.chunk)
	var n int64
	for part := 0; ; part++ {
		k, rerr := io.ReadFull(body, buf)
		n += int64(k)
		switch {
		case n > r.j.maxUpload():
			return r.j.tooLarge()
		case used+n > r.j.uploadBytes():
			return fmt.Errorf("%w: %d bytes kept", ErrFull, used)
		}
		if k > 0 || part == 0 {
			rec := &record{Kind: kindChunk, Upload: id, Part: part, Data: buf[:k], At: r.j.o.Now().UnixMilli()}
			if err := r.appendOnly(rec); err != nil {
				return err
			}
		}
		switch {
		case errors.Is(rerr, io.EOF), errors.Is(rerr, io.ErrUnexpectedEOF):
			return nil
		case rerr != nil:
			return fmt.Errorf("journal: %w", rerr)
		}
	}
}

// usedLocked is the bytes of every upload kept or being kept, on any
// replica.
func (r *replica) usedLocked() int64 {
	var n int64
	for _, p := range r.partial {
		n += p.bytes
	}
	for _, b := range r.kept {
		n += b
	}
	return n
}

// applyChunk writes a chunk to this replica's copy of its upload. A chunk
// whose upload never started here (it was trimmed, or abandoned) is
// ignored; a copy that cannot be written is dropped when its op applies,
// so the replay reports the upload lost rather than sending half of it.
func (r *replica) applyChunk(rec *record, pos int64) {
	id := filepath.Base(rec.Upload)
	if rec.Part < 0 {
		delete(r.partial, id)
		_ = os.Remove(filepath.Join(r.j.uploadDir(), id))
		return
	}
	p := r.partial[id]
	flag := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if rec.Part == 0 {
		p = &partial{first: pos}
		r.partial[id] = p
		flag |= os.O_TRUNC
	}
	if p == nil {
		return
	}
	p.bytes += int64(len(rec.Data))
	p.at = rec.At
	if !p.damaged && writeCopy(filepath.Join(r.j.uploadDir(), id), flag, rec.Data) != nil {
		p.damaged = true
	}
}

// writeCopy writes data to a local copy. The copy is not fsynced: the
// shared log holds the upload durably, and a new replica rebuilds it.
func writeCopy(name string, flag int, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(name, flag, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// completeUpload moves an upload whose op applies from partial to kept.
func (r *replica) completeUpload(id string) {
	p := r.partial[id]
	delete(r.partial, id)
	if p == nil || p.damaged {
		_ = os.Remove(filepath.Join(r.j.uploadDir(), filepath.Base(id)))
		r.kept[id] = 0
		return
	}
	r.kept[id] = p.bytes
}

// dropUpload forgets a replayed upload and removes its copy.
func (r *replica) dropUpload(id string) {
	delete(r.kept, id)
	_ = os.Remove(filepath.Join(r.j.uploadDir(), filepath.Base(id)))
}

// dropStale abandons uploads whose last chunk came before cutoff (Unix
// ms): their replica died before appending their op.
func (r *replica) dropStale(cutoff int64) {
	for id, p := range r.partial {
		if p.at < cutoff {
			delete(r.partial, id)
			_ = os.Remove(filepath.Join(r.j.uploadDir(), id))
		}
	}
}

// clearUploads empties the directory of upload copies: in the shared mode
// the log holds them, and following it from its start writes them again.
func clearUploads(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}
