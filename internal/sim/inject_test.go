package sim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"
)

// serveAsync runs one in-process request through s and closes the
// returned channel when ServeHTTP returns.
func serveAsync(s *Server, req *http.Request) (*httptest.ResponseRecorder, chan struct{}) {
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ServeHTTP(rec, req)
	}()
	return rec, done
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestLatencyWithJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(NewOpenViking(OpenVikingOptions{}))
		s.SetRand(sequence(0.75)) // +0.5 * jitter
		_ = s.SetFault(Fault{LatencyMS: 100, JitterMS: 40})
		start := time.Now()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/health", nil))
		if got := time.Since(start); got != 120*time.Millisecond {
			t.Fatalf("answered after %v, want 120ms", got)
		}
		if rec.Code != http.StatusOK || s.Stats().Delayed != 1 {
			t.Fatalf("code %d, stats %+v", rec.Code, s.Stats())
		}
	})
}

func TestLatencyHonoursClientCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ov := NewOpenViking(OpenVikingOptions{})
		s := NewServer(ov)
		_ = s.SetFault(Fault{LatencyMS: 1000})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		start := time.Now()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, "GET", "/health", nil))
		if got := time.Since(start); got != 10*time.Millisecond {
			t.Fatalf("returned after %v, want 10ms", got)
		}
		if rec.Body.Len() != 0 || ov.Requests() != 0 {
			t.Fatalf("a cancelled request reached the service: %q", rec.Body.String())
		}
	})
}

func TestHangClearedAnswersNormally(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(NewOpenViking(OpenVikingOptions{}))
		_ = s.SetFault(Fault{Hang: true})
		rec, done := serveAsync(s, httptest.NewRequest("GET", "/health", nil))
		time.Sleep(time.Hour)
		synctest.Wait()
		if isClosed(done) {
			t.Fatal("hanging request answered")
		}
		_ = s.SetFault(Fault{Hang: true, LatencyMS: 1}) // still hanging
		synctest.Wait()
		if isClosed(done) {
			t.Fatal("request answered while the hang continued")
		}
		_ = s.SetFault(Fault{})
		<-done
		if rec.Code != http.StatusOK {
			t.Fatalf("code %d after the hang cleared", rec.Code)
		}
	})
}

func TestDurationClearsFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(NewOpenViking(OpenVikingOptions{}))
		defer stopServer(t, s)
		_ = s.SetFault(Fault{ErrorRate: 1, DurationMS: 500})
		time.Sleep(499 * time.Millisecond)
		synctest.Wait()
		if s.Fault().ErrorRate != 1 {
			t.Fatal("fault cleared early")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if !s.Fault().IsZero() {
			t.Fatalf("fault still %+v after its duration", s.Fault())
		}
	})
}

func TestNewFaultCancelsOldDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(NewOpenViking(OpenVikingOptions{}))
		defer stopServer(t, s)
		_ = s.SetFault(Fault{ErrorRate: 1, DurationMS: 500})
		time.Sleep(300 * time.Millisecond)
		_ = s.SetFault(Fault{CPUPercent: 95})
		time.Sleep(time.Hour)
		synctest.Wait()
		if s.Fault().CPUPercent != 95 {
			t.Fatalf("the old timer cleared the new fault: %+v", s.Fault())
		}
	})
}

func TestStopCancelsDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(NewOpenViking(OpenVikingOptions{}))
		_ = s.SetFault(Fault{Hang: true, DurationMS: 500})
		stopServer(t, s) // returns without waiting for the timer
		time.Sleep(time.Second)
		synctest.Wait()
		if !s.Fault().Hang {
			t.Fatal("a stopped server's timer still fired")
		}
	})
}

func TestErrorRateIsDeterministic(t *testing.T) {
	ov := startServer(t, NewOpenViking(OpenVikingOptions{}))
	ov.SetRand(sequence(0.1, 0.9))
	_ = ov.SetFault(Fault{ErrorRate: 0.5})
	for i, want := range []int{503, 200, 503, 200} {
		rep := call(t, "GET", ov.URL()+"/health", nil)
		if rep.status != want {
			t.Fatalf("request %d: status %d, want %d", i, rep.status, want)
		}
		if want == 503 {
			wantOVError(t, rep, 503, "UNAVAILABLE")
		}
	}
	if st := ov.Stats(); st.InjectedErrors != 2 || st.Served != 2 || st.Requests != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestInjectedErrorDialects(t *testing.T) {
	ov := startServer(t, NewOpenViking(OpenVikingOptions{}))
	for status, code := range map[int]string{500: "INTERNAL", 429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"} {
		_ = ov.SetFault(Fault{ErrorRate: 1, ErrorStatus: status})
		wantOVError(t, call(t, "POST", ov.URL()+"/api/v1/sessions", nil), status, code)
	}
	lr := startServer(t, NewLightRAG(LightRAGOptions{}))
	_ = lr.SetFault(Fault{ErrorRate: 1})
	rep := call(t, "GET", lr.URL()+"/health", nil)
	wantStatus(t, rep, 503)
	if _, ok := at(rep.body, "detail").(string); !ok {
		t.Fatalf("want FastAPI detail, got %s", rep.raw)
	}
}

// plainService is a Service outside this package's dialects.
type plainService struct{}

func (plainService) Name() string { return "plain" }
func (plainService) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func TestInjectedErrorForeignService(t *testing.T) {
	s := NewServer(plainService{})
	_ = s.SetFault(Fault{ErrorRate: 1, ErrorStatus: 502})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 502 || rec.Body.String() != "{\"error\":\"simulated fault: bad gateway\"}\n" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if st := s.Stats(); st.Detail != nil || st.Service != "plain" {
		t.Fatalf("stats %+v", st)
	}
}
