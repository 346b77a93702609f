package client_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// faultServer serves the admin API with a real injector in front of a
// primary on loopback, and returns the injector and the primary's URL.
func faultServer(t *testing.T) (*client.Client, *fault.Injector, string) {
	t.Helper()
	primary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	t.Cleanup(primary.Close)
	u, _ := url.Parse(primary.URL)
	inj := fault.New(fault.Options{Primary: u})
	t.Cleanup(inj.Stop)
	gw := clienttest.Start(t, clienttest.Options{NoEngine: true}).Gateway
	srv := httptest.NewServer(admin.New(admin.Options{Gateway: gw, Faults: inj}))
	t.Cleanup(srv.Close)
	return client.New(srv.URL, "", nil), inj, primary.URL
}

func TestFaultCallsSetShowClear(t *testing.T) {
	c, inj, primary := faultServer(t)
	st, err := c.SetFault(t.Context(), fault.Fault{Down: true, DurationMS: 60_000}, "drill")
	if err != nil || !st.Active || !st.Fault.Down || st.By != "drill" || st.Remaining() <= 0 {
		t.Fatalf("SetFault: %+v %v", st, err)
	}
	req, _ := http.NewRequest("GET", primary+"/health", nil)
	if _, err := inj.RoundTrip(req); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("the fault set through the client has no effect: %v", err)
	}
	if st, err := c.Faults(t.Context()); err != nil || st.Fault.DurationMS != 60_000 || st.Description == "" {
		t.Fatalf("Faults: %+v %v", st, err)
	}
	if st, err := c.ClearFault(t.Context(), ""); err != nil || st.Active || inj.Status().Active {
		t.Fatalf("ClearFault: %+v %v", st, err)
	}
}

func TestSetFaultRefusalNamesTheField(t *testing.T) {
	c, inj, _ := faultServer(t)
	_, err := c.SetFault(t.Context(), fault.Fault{Hang: true}, "")
	ae := apiErr(t, err)
	if ae.StatusCode != 400 || ae.Field != "duration_ms" || inj.Status().Active {
		t.Fatalf("got %+v", ae)
	}
}
