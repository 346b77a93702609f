package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// idleRun is the memory a target holds with many idle keep-alive
// connections open.
type idleRun struct {
	Conns int `json:"conns"`
	// OK counts connections that got a complete 2xx answer and stayed open.
	OK int `json:"ok"`
	// RSSKB is VmRSS once every connection is idle; PeakKB is VmHWM over
	// the whole phase, when all requests were in flight at once.
	RSSKB  int64 `json:"rss_kb"`
	PeakKB int64 `json:"peak_kb"`
}

// holdIdle opens n connections, sends one request on each (all at once,
// the worst case: the proxy also opens upstream connections for them),
// waits for the answers, then leaves the connections idle and reads the
// target's memory.
func holdIdle(rawURL string, n int, pids []int, settle time.Duration) (idleRun, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return idleRun{}, err
	}
	resetPeak(pids)
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range conns {
		wg.Go(func() {
			c, err := oneRequest(u)
			if err != nil {
				return
			}
			conns[i] = c
			mu.Lock()
			ok++
			mu.Unlock()
		})
	}
	wg.Wait()
	time.Sleep(settle)
	rss, peak := memKB(pids)
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	return idleRun{Conns: n, OK: ok, RSSKB: rss, PeakKB: peak}, nil
}

// oneRequest dials, sends a GET and reads the whole answer, leaving the
// connection open.
func oneRequest(u *url.URL) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.RequestURI(), u.Host)
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode >= 300 || resp.Close {
		c.Close()
		return nil, fmt.Errorf("status %d, close %v, err %v", resp.StatusCode, resp.Close, err)
	}
	_ = c.SetDeadline(time.Time{})
	return c, nil
}
