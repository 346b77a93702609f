package incident

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// newID names an incident after its opening time, so IDs sort in time
// order and read as a date, with a random suffix against collisions:
// INC-20260203-140012-ab12.
func newID(opened time.Time) string {
	var b [2]byte
	rand.Read(b[:])
	return "INC-" + opened.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}
