package signal

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRedis is a tiny RESP server on loopback. It answers AUTH and PING
// like Redis with requirepass set to password ("" for none), or never
// answers when hang is set. The test owns its goroutines: Cleanup closes
// the listener and every connection and waits for them.
type fakeRedis struct {
	password string
	hang     bool
	ln       net.Listener
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

func startFakeRedis(t *testing.T, password string, hang bool) *fakeRedis {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRedis{password: password, hang: hang, ln: ln}
	f.wg.Go(f.accept)
	t.Cleanup(f.close)
	return f
}

func (f *fakeRedis) addr() string { return f.ln.Addr().String() }

func (f *fakeRedis) accept() {
	for {
		conn, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns = append(f.conns, conn)
		f.mu.Unlock()
		f.wg.Go(func() { f.serve(conn) })
	}
}

func (f *fakeRedis) close() {
	f.ln.Close()
	f.mu.Lock()
	for _, c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

func (f *fakeRedis) serve(conn net.Conn) {
	r := bufio.NewReader(conn)
	authed := f.password == ""
	for {
		args, err := readCommand(r)
		if err != nil || f.hang {
			io.Copy(io.Discard, r) // hold the connection open, silent
			return
		}
		var reply string
		switch strings.ToUpper(args[0]) {
		case "AUTH":
			authed = len(args) == 2 && args[1] == f.password
			reply = map[bool]string{true: "+OK", false: "-WRONGPASS invalid username-password pair or user is disabled."}[authed]
		case "PING":
			reply = map[bool]string{true: "+PONG", false: "-NOAUTH Authentication required."}[authed]
		default:
			reply = "-ERR unknown command"
		}
		fmt.Fprintf(conn, "%s\r\n", reply)
	}
}

// readCommand reads one RESP array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	n, err := readLen(r, '*')
	if err != nil {
		return nil, err
	}
	args := make([]string, n)
	for i := range args {
		size, err := readLen(r, '$')
		if err != nil {
			return nil, err
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		args[i] = string(buf[:size])
	}
	return args, nil
}

func readLen(r *bufio.Reader, prefix byte) (int, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 3 || line[0] != prefix {
		return 0, fmt.Errorf("bad line %q", line)
	}
	return strconv.Atoi(strings.TrimRight(line[1:], "\r\n"))
}

func TestRedisPingFake(t *testing.T) {
	ctx := context.Background()
	ping := func(addr, password string, timeout time.Duration) Reading {
		src, err := RedisPing(addr, password, timeout)
		if err != nil {
			t.Fatal(err)
		}
		return src.Read(ctx, t0)
	}
	open := startFakeRedis(t, "", false)
	r := ping(open.addr(), "", 0)
	wantCheck(t, r, false)
	wantDetail(t, r, "PING -> +PONG")

	locked := startFakeRedis(t, "s3cret", false)
	wantCheck(t, ping(locked.addr(), "s3cret", 0), false)
	r = ping(locked.addr(), "", 0)
	wantCheck(t, r, true)
	wantDetail(t, r, "PING -> -NOAUTH")
	r = ping(locked.addr(), "wrong-pass", 0)
	wantCheck(t, r, true)
	wantDetail(t, r, "AUTH -> -WRONGPASS")
	if strings.Contains(r.Detail, "wrong-pass") || strings.Contains(r.Err.Error(), "wrong-pass") {
		t.Fatalf("password leaked: %q", r.Detail)
	}

	silent := startFakeRedis(t, "", true)
	r = ping(silent.addr(), "", 100*time.Millisecond)
	wantCheck(t, r, true) // a server that never answers fails the check
	wantDetail(t, r, "no answer within 100ms")

	closed := startFakeRedis(t, "", false)
	closed.close()
	wantCheck(t, ping(closed.addr(), "", 0), true)
}

func TestRedisPingCancelled(t *testing.T) {
	f := startFakeRedis(t, "", true)
	src, _ := RedisPing(f.addr(), "", time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	// The read returns once ctx ends although the server never answers,
	// and a cancelled caller makes the reading invalid rather than failed.
	wantInvalid(t, src.Read(ctx, t0), context.Canceled)
}

func TestRedisPingConfig(t *testing.T) {
	for _, addr := range []string{"", "localhost", "::1"} {
		if _, err := RedisPing(addr, "", 0); err == nil {
			t.Errorf("%q accepted", addr)
		}
	}
	if _, err := RedisPing("127.0.0.1:6379", "", -1); err == nil {
		t.Error("negative timeout accepted")
	}
	if got := string(encodeRESP([]string{"PING"})); got != "*1\r\n$4\r\nPING\r\n" {
		t.Errorf("PING encodes as %q", got)
	}
}

func TestRedisPingRealServer(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server not installed: .ci/run must install it")
		}
		t.Skip("redis-server not installed")
	}
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no",
		"--requirepass", "s3cret")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	src, _ := RedisPing(addr, "s3cret", time.Second)
	var r Reading
	for range 100 { // wait for the server to listen, at most ~5s
		if r = src.Read(context.Background(), t0); r.Value == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantCheck(t, r, false)
	noAuth, _ := RedisPing(addr, "", time.Second)
	r = noAuth.Read(context.Background(), t0)
	wantCheck(t, r, true)
	wantDetail(t, r, "NOAUTH")
}

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
