package journal

import (
	"crypto/rand"
	"encoding/hex"
)

// newUUID returns a random version-4 UUID, the shape of OpenViking's
// generated session and task ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// sessionURI is where OpenViking keeps a user's session.
func sessionURI(user, id string) string {
	return "viking://user/" + user + "/sessions/" + id
}
