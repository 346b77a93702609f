// Command fastproxy is the benchmark's answer to "what if net/http itself is
// the ceiling?": the same minimal reverse proxy as bench/bareproxy, built on
// github.com/valyala/fasthttp instead of net/http. It takes bareproxy's flags,
// so bench/run.sh starts both the same way.
//
// It is its own Go module on purpose: the gateway's module does not depend on
// fasthttp, and measuring the alternative must not change that.
package main

import (
	"flag"
	"log"
	"net"
	"net/url"
	"time"

	"github.com/valyala/fasthttp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18112", "address to listen on")
	upstream := flag.String("upstream", "http://127.0.0.1:18101", "backend base URL")
	features := flag.Bool("features", false, "add Lifeboat-like per-request bookkeeping (route match, admission, breaker, cache lookup, per-route counters)")
	flag.Parse()
	u, err := url.Parse(*upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		log.Fatalf("-upstream %q: want http://host:port", *upstream)
	}
	p := newProxy(newClient(u.Host))
	handler := p.serve
	if *features {
		handler = newBookkeeper(p).serve
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(newServer(handler).Serve(ln))
}

// newClient mirrors bareproxy's Transport: a large warm pool toward one
// upstream. fasthttp has no separate idle cap, so MaxConns takes the
// Transport's 1,024 idle connections per host, and a request that finds the
// pool full waits for a connection instead of failing at once.
func newClient(addr string) *fasthttp.HostClient {
	return &fasthttp.HostClient{
		Addr:                     addr,
		MaxConns:                 1024,
		MaxConnWaitTimeout:       2 * time.Second,
		MaxIdleConnDuration:      90 * time.Second,
		NoDefaultUserAgentHeader: true,
		DisablePathNormalizing:   true,
		DialTimeout:              dialTimeout,
	}
}

// newServer mirrors bareproxy's http.Server timeouts (10 s to read a request,
// 5 minutes idle) and leaves answers as the upstream wrote them: no default
// Server or Content-Type header is added.
func newServer(h fasthttp.RequestHandler) *fasthttp.Server {
	return &fasthttp.Server{
		Handler:               h,
		ReadTimeout:           10 * time.Second,
		IdleTimeout:           5 * time.Minute,
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true,
	}
}

// dialTimeout caps connecting at bareproxy's 2 s; fasthttp passes zero when
// the request itself has no deadline.
func dialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	if timeout <= 0 || timeout > 2*time.Second {
		timeout = 2 * time.Second
	}
	return fasthttp.DialTimeout(addr, timeout)
}
