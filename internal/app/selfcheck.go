package app

import (
	"net/http"
	"net/http/httptest"
)

// selfTransport carries the verifier's requests. Those to the gateway's own
// client address are served in-process when that listener speaks TLS: its
// certificate need not name the address it listens on, and with client
// certificates required the verifier would have none to present. Plain HTTP
// goes over the socket, as clients do. Everything else goes to next.
type selfTransport struct {
	a    *App
	next http.RoundTripper
}

func (t selfTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !t.a.cfg.TLS.Enabled() || r.URL.Host != t.a.Addr() {
		return t.next.RoundTrip(r)
	}
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI, in.RemoteAddr = in.URL.RequestURI(), "127.0.0.1:0"
	rec := httptest.NewRecorder()
	t.a.serveClient(rec, in)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
