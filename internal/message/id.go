package message

// ValidID accepts the characters OpenViking allows in user, account and
// session ids: 1 to 128 of [A-Za-z0-9._-]. The simulator and the journal
// both check ids with it, so the journal refuses exactly what the primary
// would.
func ValidID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}
