package sim

import (
	"sync"
	"time"
)

// DefaultIndexDelay is how long an inserted document waits in the
// simulated pipeline before it is indexed, unless LightRAGOptions says.
const DefaultIndexDelay = 50 * time.Millisecond

// indexJob is one document waiting for the pipeline.
type indexJob struct {
	due  time.Time
	id   string // the document id
	text string
}

// indexer is LightRAG's background pipeline: documents are indexed one by
// one, each delay after its insert, in insert order (the real pipeline also
// works through its queue in order). Its goroutine starts with the first
// document and belongs to the LightRAG that owns the indexer: close stops
// it and waits for it.
type indexer struct {
	delay time.Duration
	apply func(indexJob) // runs on the pipeline goroutine

	mu      sync.Mutex // guards the fields below
	queue   []indexJob
	running bool
	closed  bool

	wake chan struct{} // capacity 1: "the queue grew"
	stop chan struct{} // closed by close
	done chan struct{} // closed when the goroutine ends
}

func newIndexer(delay time.Duration, apply func(indexJob)) *indexer {
	return &indexer{delay: delay, apply: apply, wake: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
}

// enqueue schedules a document; it reports false once the indexer is closed.
func (ix *indexer) enqueue(id, text string) bool {
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return false
	}
	ix.queue = append(ix.queue, indexJob{due: time.Now().Add(ix.delay), id: id, text: text})
	if !ix.running {
		ix.running = true
		go ix.loop()
	}
	ix.mu.Unlock()
	select {
	case ix.wake <- struct{}{}:
	default:
	}
	return true
}

// pending is the number of documents not indexed yet.
func (ix *indexer) pending() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.queue)
}

func (ix *indexer) loop() {
	defer close(ix.done)
	for {
		j, ok := ix.head()
		if !ok {
			select {
			case <-ix.wake:
				continue
			case <-ix.stop:
				return
			}
		}
		if !ix.sleepUntil(j.due) {
			return
		}
		ix.apply(j)
		ix.pop()
	}
}

func (ix *indexer) head() (indexJob, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if len(ix.queue) == 0 {
		return indexJob{}, false
	}
	return ix.queue[0], true
}

func (ix *indexer) pop() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.queue = ix.queue[1:]
}

// sleepUntil waits for t; false means the indexer was closed meanwhile.
func (ix *indexer) sleepUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ix.stop:
		return false
	}
}

// close stops the pipeline and waits for its goroutine. Documents still
// queued stay pending. It is safe to call twice.
func (ix *indexer) close() {
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return
	}
	ix.closed = true
	running := ix.running
	ix.mu.Unlock()
	close(ix.stop)
	if running {
		<-ix.done
	}
}
