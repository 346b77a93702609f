package signal

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// RedisPingSource checks a Redis server. See RedisPing.
type RedisPingSource struct {
	addr     string
	password string
	timeout  time.Duration
}

// RedisPing checks the Redis server at addr ("host:port") like the plan's
// `redis-cli ping`: it speaks RESP over TCP, sends AUTH first when password
// is set, then PING, and passes only on +PONG. The whole exchange is
// bounded by timeout (DefaultTimeout when 0). The password is never
// printed in Detail or errors. It is an integrity check: Value 1 when it
// fails, always valid unless the caller's ctx was cancelled.
func RedisPing(addr, password string, timeout time.Duration) (*RedisPingSource, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("%w: redis address %q: %w", ErrConfig, addr, err)
	}
	if timeout < 0 {
		return nil, fmt.Errorf("%w: negative redis timeout %s", ErrConfig, timeout)
	}
	return &RedisPingSource{addr: addr, password: password, timeout: timeout}, nil
}

// Read implements Source.
func (s *RedisPingSource) Read(ctx context.Context, _ time.Time) Reading {
	if err := s.ping(ctx); err != nil {
		return failed(ctx, fmt.Errorf("%w: redis %s: %w", ErrCheckFailed, s.addr, err))
	}
	return passed("redis " + s.addr + ": PING -> +PONG")
}

// ping runs the exchange on one connection whose deadline follows ctx.
func (s *RedisPingSource) ping(ctx context.Context) error {
	ctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Closing the connection when ctx ends (deadline or caller) unblocks a
	// read stuck on a server that accepted but never answers. It is the
	// only deadline, so any failure it causes finds ctx.Err() set.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	err = s.talk(conn)
	if err != nil && ctx.Err() != nil {
		// Report the deadline, not the closed connection it caused.
		return fmt.Errorf("no answer within %s: %w", timeoutOr(s.timeout), ctx.Err())
	}
	return err
}

// talk authenticates when a password is set, then pings.
func (s *RedisPingSource) talk(conn net.Conn) error {
	r := bufio.NewReader(conn)
	if s.password != "" {
		if err := exchange(conn, r, "AUTH", []string{"AUTH", s.password}, "+OK"); err != nil {
			return err
		}
	}
	return exchange(conn, r, "PING", []string{"PING"}, "+PONG")
}

// exchange sends one command and expects one exact simple-string reply.
// label names the command in errors, so arguments (the password) never
// appear there.
func exchange(conn net.Conn, r *bufio.Reader, label string, args []string, want string) error {
	if _, err := conn.Write(encodeRESP(args)); err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("%s: reading reply: %w", label, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line != want {
		return fmt.Errorf("%s -> %s", label, shorten(line))
	}
	return nil
}

// encodeRESP writes a command as a RESP array of bulk strings.
func encodeRESP(args []string) []byte {
	b := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}
