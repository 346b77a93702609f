package proxy

import (
	"net"
	"net/http"
	"net/textproto"
	"strings"
)

// hopHeaders apply to one connection only and are never forwarded
// (RFC 9110 section 7.6.1).
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func isHop(k string) bool {
	for _, h := range hopHeaders {
		if k == h {
			return true
		}
	}
	return false
}

// copyHeaders copies src into dst without hop-by-hop headers, including
// those the Connection header names. Value slices are shared, not copied:
// neither side mutates them.
func copyHeaders(dst, src http.Header) {
	conn := src["Connection"]
	for k, vv := range src {
		if isHop(k) || (len(conn) > 0 && namedIn(conn, k)) {
			continue
		}
		dst[k] = vv
	}
}

func namedIn(conn []string, k string) bool {
	for _, v := range conn {
		for f := range strings.SplitSeq(v, ",") {
			if textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(f)) == k {
				return true
			}
		}
	}
	return false
}

// outboundHeader builds the header sent upstream: the client's end-to-end
// headers plus the X-Forwarded-* set, as nginx and HAProxy add them.
func outboundHeader(r *http.Request) http.Header {
	h := make(http.Header, len(r.Header)+3)
	copyHeaders(h, r.Header)
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if prior := r.Header["X-Forwarded-For"]; len(prior) > 0 {
			ip = strings.Join(prior, ", ") + ", " + ip
		}
		h["X-Forwarded-For"] = []string{ip}
	}
	if r.Host != "" {
		h["X-Forwarded-Host"] = []string{r.Host}
	}
	if r.TLS != nil {
		h["X-Forwarded-Proto"] = protoHTTPS
	} else {
		h["X-Forwarded-Proto"] = protoHTTP
	}
	return h
}

// Shared header values: the gateway sets them on every request, so they
// are allocated once.
var (
	protoHTTP         = []string{"http"}
	protoHTTPS        = []string{"https"}
	servedBy          = [...][]string{{"primary"}, {"fallback"}, {"cache"}}
	upstreamHeaderKey = "X-Lifeboat-Upstream"
)
