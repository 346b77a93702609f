package sim

import (
	"net/http"
	"testing"
)

// With a control listener, the fault knobs are not on the service's
// address at all: a POST /_sim/fault sent there (through a gateway, say)
// changes nothing.
func TestControlListenerTakesTheKnobsOffTheMainAddress(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	if err := s.StartControl("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "POST", s.URL()+"/_sim/fault", `{"down":true}`), http.StatusNotFound)
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
	if got := call(t, "GET", s.ControlURL()+"/_sim/fault", nil); at(got.body, "down") == true {
		t.Fatalf("the main address changed the fault: %s", got.raw)
	}
}
