package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// Bounds of what the gateway remembers of the primary's sessions.
const (
	// defaultSeenSessions is how many sessions are remembered, least
	// recently used forgotten first.
	defaultSeenSessions = 4096
	// seenMessages and seenMessageBytes bound the live messages remembered
	// of one session; a session holding more is remembered by its counts
	// alone. With the primary's last answer (about 1 KiB) that bounds the
	// whole store near 4,096 x 17 KiB, some 70 MiB at the very worst.
	seenMessages     = 100
	seenMessageBytes = 16 << 10
)

// seen remembers what the primary last reported of each session that had
// traffic through the gateway, keyed by tenant and session id, bounded,
// and saved to a file so a restart during an outage keeps it.
type seen struct {
	path  string
	cache *lru.Cache[string, *Base]

	mu    sync.Mutex // orders saves
	dirty bool
}

func newSeen(path string, size int) (*seen, error) {
	if size <= 0 {
		size = defaultSeenSessions
	}
	c, err := lru.New[string, *Base](size)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	s := &seen{path: path, cache: c}
	return s, s.load()
}

func seenKey(tenant, id string) string { return tenant + "\x00" + id }

// get returns a copy of what was seen of session id of tenant.
func (s *seen) get(tenant, id string) (*Base, bool) {
	b, ok := s.cache.Get(seenKey(tenant, id))
	if !ok {
		return nil, false
	}
	c := *b
	return &c, true
}

// update changes the entry of session id of tenant by fn, starting from
// an empty one; fn returning false forgets the session.
func (s *seen) update(tenant, id string, fn func(b *Base) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := seenKey(tenant, id)
	b := &Base{}
	if old, ok := s.cache.Peek(key); ok {
		c := *old
		b = &c
	}
	if fn(b) {
		if len(b.Messages) > seenMessages || len(b.Messages) != b.MessageCount || b.MessageBytes > seenMessageBytes {
			b.Messages, b.MessageBytes = nil, 0
		}
		s.cache.Add(key, b)
	} else {
		s.cache.Remove(key)
	}
	s.dirty = true
}

// seenFile is the saved form: entries oldest first, so loading them in
// order rebuilds the same recency.
type seenFile struct {
	Sessions []seenEntry `json:"sessions"`
}

type seenEntry struct {
	Key  string `json:"key"`
	Base *Base  `json:"base"`
}

// save writes the entries when they changed, through a temporary file and
// a rename, so a crash leaves the old file or the new one whole.
func (s *seen) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty || s.path == "" {
		return nil
	}
	var f seenFile
	for _, k := range s.cache.Keys() {
		if b, ok := s.cache.Peek(k); ok {
			f.Sessions = append(f.Sessions, seenEntry{Key: k, Base: b})
		}
	}
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("journal: saving seen sessions: %w", err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("journal: saving seen sessions: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("journal: saving seen sessions: %w", err)
	}
	s.dirty = false
	return syncDir(filepath.Dir(s.path))
}

func (s *seen) load() error {
	if s.path == "" {
		return nil
	}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal: reading seen sessions: %w", err)
	}
	var f seenFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: seen sessions file %s: %v", ErrCorrupt, s.path, err)
	}
	for _, e := range f.Sessions {
		s.cache.Add(e.Key, e.Base)
	}
	return nil
}

// appendMessages adds messages the primary accepted to the remembered
// list, when the list was whole before.
func appendMessages(b *Base, before int, ms []message.Message) {
	if len(b.Messages) != before {
		b.Messages, b.MessageBytes = nil, 0
		return
	}
	b.Messages = append(b.Messages, ms...)
	b.MessageBytes += messageBytes(ms)
}

// messageBytes is about how much memory messages hold: their text, parts
// and ids as JSON.
func messageBytes(ms []message.Message) int {
	b, _ := json.Marshal(ms) // decoded messages always encode
	return len(b)
}
