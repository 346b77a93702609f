package verify

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// runProbe sends p to base: with an expectation on the answer it is a
// functional probe, otherwise only the status counts. A probe without a
// path passes.
func (v *Verifier) runProbe(ctx context.Context, base string, p signal.Probe) error {
	switch {
	case p.Path == "":
		return nil
	case p.Expect.Path == "":
		return v.statusProbe(ctx, base, p)
	}
	src, err := signal.FunctionalProbe(v.Client, base, p.Method, p.Path, []byte(p.Body), headerOf(p), p.Expect)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrFailed, err)
	}
	r := src.Read(ctx, time.Now())
	if r.Value != 0 {
		return fmt.Errorf("%w: probe %s %s via %s: %v", ErrFailed, p.Method, p.Path, base, r.Err)
	}
	return nil
}

// statusProbe sends the probe and checks only its status.
func (v *Verifier) statusProbe(ctx context.Context, base string, p signal.Probe) error {
	req, err := http.NewRequestWithContext(ctx, cmp.Or(p.Method, http.MethodGet), base+p.Path, strings.NewReader(p.Body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrFailed, err)
	}
	req.Header = headerOf(p)
	if p.Body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.Client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: probe %s %s via %s: %v", ErrFailed, req.Method, p.Path, base, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	want := p.ExpectStatus
	if len(want) == 0 {
		want = []int{http.StatusOK}
	}
	if !slices.Contains(want, resp.StatusCode) {
		return fmt.Errorf("%w: probe %s %s via %s answered %d, want %v", ErrFailed, req.Method, p.Path, base, resp.StatusCode, want)
	}
	return nil
}

// headerOf copies the probe's header, so no request shares or changes it.
func headerOf(p signal.Probe) http.Header {
	if h := p.Header.Clone(); h != nil {
		return h
	}
	return http.Header{}
}
