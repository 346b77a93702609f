package drill

import (
	"os"
	"sync"
	"time"
)

// History reads a Store's records again only when the file changed, for
// views that ask every few seconds (scrapes, the operations page) while
// drills are rare. It is safe for concurrent use.
type History struct {
	store *Store

	mu    sync.Mutex
	stamp time.Time
	size  int64
	recs  []Record
}

// NewHistory reads the history kept in dir, as NewStore keeps it.
func NewHistory(dir string) *History { return &History{store: NewStore(dir)} }

// Records returns the history, oldest first; nil when there is none. A
// history that cannot be read keeps the records last read: the views are
// a summary, and the drill command reports the damage.
func (h *History) Records() []Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	fi, err := os.Stat(h.store.Path())
	if err != nil {
		return nil
	}
	if !fi.ModTime().Equal(h.stamp) || fi.Size() != h.size {
		recs, err := h.store.Load()
		if err != nil {
			return h.recs
		}
		h.stamp, h.size, h.recs = fi.ModTime(), fi.Size(), recs
	}
	return h.recs
}

// Last is the last drill of the history; false when there is none.
func (h *History) Last() (Record, bool) {
	recs := h.Records()
	if len(recs) == 0 {
		return Record{}, false
	}
	return recs[len(recs)-1], true
}
