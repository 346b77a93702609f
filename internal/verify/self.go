package verify

import (
	"net/http"
	"net/http/httptest"
)

var _ http.RoundTripper = SelfTransport{}

// SelfTransport carries the verifier's requests. Those to the gateway's own
// client address are served in-process by Local when it is set, as it is
// when that listener speaks TLS: its certificate need not name the address
// it listens on, and with client certificates required the verifier would
// have none to present. Plain HTTP goes over the socket, as clients do.
// Everything else goes to Next.
type SelfTransport struct {
	// Addr is the gateway's client address, empty before it listens.
	// Required.
	Addr func() string
	// Local serves the gateway's client listener in process. Nil means
	// every request goes over the socket.
	Local http.Handler
	// Next carries every other request. Required.
	Next http.RoundTripper
}

// RoundTrip serves r in process when it is for the gateway itself and
// Local is set, and sends it on otherwise.
func (t SelfTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.Local == nil || r.URL.Host != t.Addr() {
		return t.Next.RoundTrip(r)
	}
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI, in.RemoteAddr = in.URL.RequestURI(), "127.0.0.1:0"
	rec := httptest.NewRecorder()
	t.Local.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
