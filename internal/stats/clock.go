package stats

import "time"

// clock maps times to bucket indexes: index i covers
// [base + i*width, base + (i+1)*width), and a window ending in index cur
// holds indexes cur-n+1 through cur.
type clock struct {
	// base keeps a monotonic clock reading when taken from time.Now(), so
	// recording with time.Now() is immune to wall-clock jumps.
	base  time.Time
	width time.Duration
	n     int64
}

// newClock aligns bucket boundaries on multiples of width in Unix time,
// which makes them predictable in tests and logs. Add, unlike Truncate,
// keeps the monotonic reading.
func newClock(s WindowSettings, now time.Time) clock {
	skew := time.Duration(now.UnixNano() % int64(s.BucketWidth))
	return clock{base: now.Add(-skew), width: s.BucketWidth, n: int64(s.Buckets)}
}

// index returns the number of widths from base to t, rounded down.
func (c clock) index(t time.Time) int64 {
	off := int64(t.Sub(c.base))
	idx := off / int64(c.width)
	if off < 0 && off%int64(c.width) != 0 {
		idx--
	}
	return idx
}

// span returns the time covered by the window ending at now: the full
// buckets plus the elapsed part of the current one.
func (c clock) span(now time.Time) time.Duration {
	oldest := c.index(now) - c.n + 1
	return now.Sub(c.base.Add(time.Duration(oldest) * c.width))
}

// slot returns the ring position of index idx.
func (c clock) slot(idx int64) int {
	return int(((idx % c.n) + c.n) % c.n)
}
