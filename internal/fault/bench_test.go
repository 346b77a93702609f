package fault

import (
	"net/http"
	"testing"
)

// BenchmarkRoundTripNoFault is the Injector's cost on every request when
// no fault is active: one atomic load and a host comparison.
func BenchmarkRoundTripNoFault(b *testing.B) {
	inj, _ := newStubbed(b, nopTransport{})
	req, _ := http.NewRequest("GET", stubURL+"/api/v1/sessions/x", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inj.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundTripOtherHost is a fallback request while the primary is
// faulted: it must cost no more than without a fault.
func BenchmarkRoundTripOtherHost(b *testing.B) {
	inj, _ := newStubbed(b, nopTransport{})
	defer inj.Stop()
	inj.Set(long(Fault{Down: true}), "bench")
	req, _ := http.NewRequest("GET", "http://fallback.test:9621/query", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inj.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

// nopTransport answers with one shared response, so only the Injector's
// own work is measured.
type nopTransport struct{}

var nopResponse = &http.Response{StatusCode: http.StatusOK}

func (nopTransport) RoundTrip(*http.Request) (*http.Response, error) { return nopResponse, nil }

func TestNoFaultDoesNotAllocate(t *testing.T) {
	inj, _ := newStubbed(t, nopTransport{})
	req, _ := http.NewRequest("GET", stubURL+"/x", nil)
	if n := testing.AllocsPerRun(100, func() { inj.RoundTrip(req) }); n != 0 {
		t.Fatalf("%v allocations per request without a fault", n)
	}
}
