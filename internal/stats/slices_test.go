package stats

import (
	"testing"
	"time"
)

// Slices show each bucket alone, so a burst of slow requests is visible
// in its own bucket while the window's average still hides it.
func TestSlicesShowEachBucket(t *testing.T) {
	r := newTestRecorder()
	r.Record(0, 0, OK, 10*time.Millisecond, at(0))
	r.Record(0, 1, OK, 10*time.Millisecond, at(0))
	r.Record(0, 0, ServerError, 6*time.Second, at(20*time.Second))
	now := at(21 * time.Second)
	got := r.Slices(0, []int{0, 1}, now)
	if len(got) != DefaultBuckets {
		t.Fatalf("%d slices, want %d", len(got), DefaultBuckets)
	}
	last := got[len(got)-1]
	if !last.Start.Equal(at(20*time.Second)) || last.Requests != 1 || last.AvgLatency != 6*time.Second || last.ErrorRate != 1 {
		t.Errorf("last slice = %+v, want the slow failure alone at +20s", last)
	}
	first := 0
	for i, s := range got {
		if s.Requests > 0 {
			first = i
			break
		}
	}
	if s := got[first]; !s.Start.Equal(at(0)) || s.Requests != 2 || s.ErrorRate != 0 {
		t.Errorf("first busy slice = %+v, want the two good requests at +0s", s)
	}
	for i := 1; i < len(got); i++ {
		if d := got[i].Start.Sub(got[i-1].Start); d != DefaultBucketWidth {
			t.Fatalf("slices %d and %d are %s apart, want %s", i-1, i, d, DefaultBucketWidth)
		}
	}
}
