package ui

import "sync"

// Point is one sample of the page's 15-minute history.
type Point struct {
	// T is the sample's time in Unix milliseconds.
	T     int64 `json:"t"`
	Level int   `json:"level"`
	// Share is the part of new requests sent to the primary first, 0 to 1.
	Share float64 `json:"share"`
	// RPS, ErrorRate, P50MS and P99MS describe what clients saw over the
	// stats window ending at T.
	RPS       float64 `json:"rps"`
	ErrorRate float64 `json:"error_rate"`
	P50MS     float64 `json:"p50_ms"`
	P99MS     float64 `json:"p99_ms"`
	// Triggers holds each trigger's reading, left out while it cannot be
	// judged, so a sparkline shows a gap rather than a false zero.
	Triggers map[string]float64 `json:"triggers,omitempty"`
}

// Mark is a moment the charts draw as a line.
type Mark struct {
	// Seq orders marks for the streams, which send each once.
	Seq  int64  `json:"seq"`
	T    int64  `json:"t"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Drill is one drill of the history, as the page lists it.
type Drill struct {
	ID       string   `json:"id"`
	Scenario string   `json:"scenario"`
	Ended    int64    `json:"ended"`
	Verdict  string   `json:"verdict,omitempty"`
	Figures  []Figure `json:"figures"`
}

// Figure is one of the plan's success metrics as a drill measured it.
type Figure struct {
	Name   string  `json:"name"`
	Text   string  `json:"text"`
	Value  float64 `json:"value"`
	Target string  `json:"target"`
	Pass   bool    `json:"pass"`
	Status string  `json:"status"`
}

// series keeps the last keep points and the marks among them.
type series struct {
	mu     sync.Mutex
	keep   int
	points []Point
	marks  []Mark
	seq    int64 // the last mark's Seq
}

func newSeries(keep int) *series { return &series{keep: keep} }

func (s *series) add(p Point) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points = append(s.points, p)
	if over := len(s.points) - s.keep; over > 0 {
		s.points = append(s.points[:0], s.points[over:]...)
	}
	s.trimMarks()
}

func (s *series) mark(m Mark) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	m.Seq = s.seq
	s.marks = append(s.marks, m)
	s.trimMarks()
}

// trimMarks drops marks older than the oldest point; s.mu is held.
func (s *series) trimMarks() {
	if len(s.points) == 0 {
		return
	}
	oldest, i := s.points[0].T, 0
	for i < len(s.marks) && s.marks[i].T < oldest {
		i++
	}
	s.marks = append(s.marks[:0], s.marks[i:]...)
}

// cursor is how far a stream has sent the series.
type cursor struct {
	t   int64 // the newest point sent, Unix ms
	seq int64 // the newest mark sent
}

// since returns the points and marks after c, and the cursor past them.
func (s *series) since(c cursor) (pts []Point, marks []Mark, next cursor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next = c
	for _, p := range s.points {
		if p.T > c.t {
			pts = append(pts, p)
			next.t = p.T
		}
	}
	for _, m := range s.marks {
		if m.Seq > c.seq {
			marks = append(marks, m)
			next.seq = m.Seq
		}
	}
	return pts, marks, next
}
