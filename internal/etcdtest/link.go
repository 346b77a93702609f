package etcdtest

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// Link is a TCP relay in front of a Server that a test can cut, to put one
// client on the wrong side of a network partition while others still reach
// etcd. While cut it closes every relayed connection and every new one.
type Link struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{}
}

// NewLink relays a loopback port to the first of endpoints. Close it.
func NewLink(endpoints []string) (*Link, error) {
	if len(endpoints) == 0 {
		return nil, fmt.Errorf("%w: link: no endpoint", ErrStart)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("%w: link: %w", ErrStart, err)
	}
	l := &Link{ln: ln, target: strings.TrimPrefix(endpoints[0], "http://"), conns: map[net.Conn]struct{}{}}
	l.wg.Go(l.accept)
	return l, nil
}

// Endpoints are the addresses to give a client that should go through l.
func (l *Link) Endpoints() []string { return []string{"http://" + l.ln.Addr().String()} }

// Cut drops every connection through l and refuses new ones until Restore.
func (l *Link) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = true
	for c := range l.conns {
		_ = c.Close()
	}
}

// Restore lets connections through again.
func (l *Link) Restore() {
	l.mu.Lock()
	l.cut = false
	l.mu.Unlock()
}

// Close stops relaying and waits for the relay's goroutines.
func (l *Link) Close() {
	_ = l.ln.Close()
	l.Cut()
	l.wg.Wait()
}

func (l *Link) accept() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", l.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		if !l.track(c, up) {
			continue
		}
		l.wg.Go(func() { l.pipe(c, up) })
		l.wg.Go(func() { l.pipe(up, c) })
	}
}

// track registers a relayed pair, or closes it at once while cut.
func (l *Link) track(c, up net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cut {
		_ = c.Close()
		_ = up.Close()
		return false
	}
	l.conns[c], l.conns[up] = struct{}{}, struct{}{}
	return true
}

// pipe copies one direction and, when either side ends, closes both, so
// its twin returns too.
func (l *Link) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src) // Either end closing is the normal way out.
	_ = dst.Close()
	_ = src.Close()
	l.mu.Lock()
	delete(l.conns, dst)
	delete(l.conns, src)
	l.mu.Unlock()
}
