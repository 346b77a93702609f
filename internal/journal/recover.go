package journal

import (
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
)

// maxFrame bounds a payload: a larger length can only be garbage, since
// request bodies are limited to maxBody.
const maxFrame = 4 * maxBody

// scan calls fn for every complete record of data in order and returns the
// length of the valid prefix. A short frame, a bad checksum or a payload
// that is not JSON ends the scan: that is a torn tail, never acknowledged
// because acknowledgements wait for the fsync. An error from fn (a
// well-formed record that cannot be applied) stops the scan and is
// returned, since dropping it would silently lose acknowledged writes.
func scan(data []byte, table *crc32.Table, fn func(*record) error) (int, error) {
	off := 0
	for {
		rec, n := nextFrame(data[off:], table)
		if rec == nil {
			return off, nil
		}
		if err := fn(rec); err != nil {
			return off, err
		}
		off += n
	}
}

// nextFrame decodes the frame at the start of b, or returns nil when b
// does not start with a complete, intact one.
func nextFrame(b []byte, table *crc32.Table) (*record, int) {
	if len(b) < frameHeader {
		return nil, 0
	}
	size := binary.LittleEndian.Uint32(b[0:4])
	if size > maxFrame || uint64(len(b)-frameHeader) < uint64(size) {
		return nil, 0
	}
	payload := b[frameHeader : frameHeader+int(size)]
	if crc32.Checksum(payload, table) != binary.LittleEndian.Uint32(b[4:8]) {
		return nil, 0
	}
	rec := new(record)
	if err := json.Unmarshal(payload, rec); err != nil || rec.Kind == "" {
		return nil, 0
	}
	return rec, frameHeader + int(size)
}
