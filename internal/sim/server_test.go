package sim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestServerStartStop(t *testing.T) {
	s := NewServer(NewOpenViking(OpenVikingOptions{}))
	if s.URL() != "" || s.ControlURL() != "" {
		t.Fatal("URLs before Start should be empty")
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start: %v, want ErrStarted", err)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
	stopServer(t, s)
	stopServer(t, s) // a second Stop is a no-op
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Fatal("listener still open after Stop")
	}
	if err := s.Start("127.0.0.1:0"); !errors.Is(err, ErrStopped) {
		t.Fatalf("Start after Stop: %v", err)
	}
	if err := s.SetFault(Fault{Hang: true}); !errors.Is(err, ErrStopped) {
		t.Fatalf("SetFault after Stop: %v", err)
	}
}

func TestSetFaultRejectsInvalid(t *testing.T) {
	s := NewServer(NewOpenViking(OpenVikingOptions{}))
	_ = s.SetFault(Fault{LatencyMS: 5})
	if err := s.SetFault(Fault{ErrorRate: 2}); !errors.Is(err, ErrInvalidFault) {
		t.Fatalf("got %v", err)
	}
	if s.Fault() != (Fault{LatencyMS: 5}) {
		t.Fatalf("invalid fault changed state: %+v", s.Fault())
	}
}

func TestDownRefusesThenRevivesOnSamePort(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	addr := s.Addr()
	if err := s.SetFault(Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("connection accepted while down")
	}
	if s.Addr() != addr || s.Stats().Listening {
		t.Fatalf("down server forgot its address or still listens: %s %+v", s.Addr(), s.Stats())
	}
	if err := s.SetFault(Fault{}); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Fatalf("revived on %s, want %s", s.Addr(), addr)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
}

func TestDownBeforeStart(t *testing.T) {
	s := NewServer(NewLightRAG(LightRAGOptions{}))
	defer stopServer(t, s)
	if err := s.SetFault(Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Fatal("a server started down accepted a connection")
	}
	if err := s.SetFault(Fault{}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
}

func TestControlListenerRevivesDownServer(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	if err := s.StartControl("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if err := s.StartControl("127.0.0.1:0"); !errors.Is(err, ErrStarted) {
		t.Fatalf("second StartControl: %v", err)
	}
	ctl := s.ControlURL()
	wantStatus(t, call(t, "POST", ctl+"/_sim/fault", `{"down":true}`), http.StatusOK)
	if _, err := send(&http.Client{Timeout: time.Second}, "GET", s.URL()+"/health", nil); err == nil {
		t.Fatal("main listener answered while down")
	}
	if got := call(t, "GET", ctl+"/_sim/fault", nil); at(got.body, "down") != true {
		t.Fatalf("fault not reported: %s", got.raw)
	}
	wantStatus(t, call(t, "GET", ctl+"/health", nil), http.StatusNotFound)
	wantStatus(t, call(t, "POST", ctl+"/_sim/fault", `{}`), http.StatusOK)
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
}

func TestDownWithDurationRevivesItself(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	if err := s.SetFault(Fault{Down: true, DurationMS: 20}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !s.Fault().IsZero() {
		if time.Now().After(deadline) {
			t.Fatalf("fault never cleared: %+v", s.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
}

func TestHangBoundedByClientTimeout(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	if err := s.SetFault(Fault{Hang: true}); err != nil {
		t.Fatal(err)
	}
	_, err := send(&http.Client{Timeout: 100 * time.Millisecond}, "GET", s.URL()+"/health", nil)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("want a client timeout, got %v", err)
	}
	if st := s.Stats(); st.Hung != 1 || st.Served != 0 {
		t.Fatalf("stats %+v", st)
	}
	// The control endpoints are never subject to faults.
	wantStatus(t, call(t, "GET", s.URL()+"/_sim/fault", nil), http.StatusOK)
}

func TestStopReleasesHangingRequests(t *testing.T) {
	s := NewServer(NewOpenViking(OpenVikingOptions{}))
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	_ = s.SetFault(Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		_, err := send(&http.Client{}, "GET", s.URL()+"/health", nil)
		done <- err
	}()
	waitFor(t, func() bool { return s.Stats().Hung == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := <-done; err == nil {
		t.Fatal("a hanging request got an answer after Stop")
	}
	if s.Stats().Dropped != 1 {
		t.Fatalf("stats %+v", s.Stats())
	}
}

func TestDownDropsLiveConnections(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	_ = s.SetFault(Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		_, err := send(&http.Client{}, "GET", s.URL()+"/health", nil)
		done <- err
	}()
	waitFor(t, func() bool { return s.Stats().Hung == 1 })
	_ = s.SetFault(Fault{Down: true})
	if err := <-done; err == nil {
		t.Fatal("a request on a dropped connection got an answer")
	}
}

// waitFor polls cond for up to five seconds; it synchronises with real
// network goroutines, which testing/synctest cannot do.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestReviveFailsWhenPortTaken(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	_ = s.SetFault(Fault{Down: true})
	squatter, err := net.Listen("tcp", s.Addr())
	if err != nil {
		t.Skipf("cannot take the port back: %v", err)
	}
	if err := s.SetFault(Fault{}); !errors.Is(err, ErrRelisten) {
		t.Fatalf("got %v, want ErrRelisten", err)
	}
	if !s.Fault().Down || s.Stats().LastError == "" {
		t.Fatalf("a failed revive changed state: %+v", s.Stats())
	}
	squatter.Close()
	if err := s.SetFault(Fault{}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
}
