package sim

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// newUUID returns a random version-4 UUID, the shape of OpenViking's
// generated session and task ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// mdhashID mirrors LightRAG's compute_mdhash_id: prefix + md5 hex of content.
func mdhashID(content, prefix string) string {
	sum := md5.Sum([]byte(content))
	return prefix + hex.EncodeToString(sum[:])
}

// newTrackID mirrors LightRAG's track ids, e.g. insert_20250729_170612_ab12cd34.
func newTrackID(prefix string, now time.Time) string {
	return prefix + "_" + now.UTC().Format("20060102_150405") + "_" + randomHex(4)
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
