// Command backend is the benchmark's stand-in upstream: a net/http server
// that answers every request with a fixed small JSON body, so the proxies in
// front of it, not the backend, are what the benchmark measures.
//
// Paths containing "/cached" answer with Cache-Control: max-age=60, so a
// caching proxy can serve them from memory; every other path carries no
// caching headers, like OpenViking's answers. GET /health answers
// {"status":"<-health>"} for the gateway's active checks.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// body is about the size of a small OpenViking session answer.
const body = `{"status":"ok","result":{"session_id":"bench","user":"bench","messages":[],"created_at":"2025-01-01T00:00:00Z"}}`

func main() {
	listen := flag.String("listen", "127.0.0.1:18101", "address to listen on")
	status := flag.String("health", "ok", "value of the status field in GET /health")
	flag.Parse()
	srv := &http.Server{
		Handler:           handler(*status),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       5 * time.Minute,
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.Serve(ln))
}

// handler writes precomputed headers and bodies: nothing is built per request.
func handler(status string) http.Handler {
	plain, cached := []byte(body), []byte(body)
	health := []byte(`{"status":"` + status + `"}`)
	ct := []string{"application/json"}
	plainLen, healthLen := []string{strconv.Itoa(len(plain))}, []string{strconv.Itoa(len(health))}
	maxAge := []string{"max-age=60"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = ct
		switch {
		case r.URL.Path == "/health":
			h["Content-Length"] = healthLen
			w.Write(health)
		case strings.Contains(r.URL.Path, "/cached"):
			h["Content-Length"] = plainLen
			h["Cache-Control"] = maxAge
			w.Write(cached)
		default:
			h["Content-Length"] = plainLen
			w.Write(plain)
		}
	})
}
