package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// pager stands in for the on-call's webhook in a lab, so the gateway's
// escalation chain has somewhere to deliver and the narration shows it.
type pager struct {
	srv   *http.Server
	ln    net.Listener
	count atomic.Int64
	wg    sync.WaitGroup

	mu    sync.Mutex
	pages []Page
}

// Page is one webhook delivery the lab's pager received, as far as the
// lab's tests and narration read it.
type Page struct {
	Status   string `json:"status"`
	DedupKey string `json:"dedup_key"`
	Summary  string `json:"summary"`
	Severity string `json:"severity"`
	Tier     string `json:"tier"`
	Repeat   bool   `json:"repeat"`
	Sequence int    `json:"sequence"`
	Details  struct {
		DryRun bool `json:"dry_run"`
	} `json:"details"`
}

func startPager() (*pager, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab: pager: %w", err)
	}
	p := &pager{ln: ln}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve)}
	p.wg.Go(func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	})
	return p, nil
}

func (p *pager) serve(w http.ResponseWriter, r *http.Request) {
	var pg Page
	_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&pg)
	p.mu.Lock()
	p.pages = append(p.pages, pg)
	p.mu.Unlock()
	p.count.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

func (p *pager) all() []Page {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.pages)
}

func (p *pager) received() int { return int(p.count.Load()) }

// configure pages the on-call through this pager at once, repeating on
// the lab's timeline (the chain's cadence cannot go below a second).
func (p *pager) configure(c *config.Config, t Timings) {
	c.Notify.Notifiers = []config.NotifierConfig{{Name: "pager", Type: "webhook",
		URL: config.Secret("http://" + p.ln.Addr().String() + "/page")}}
	c.Notify.Tiers = []config.Tier{{Name: "on-call", After: 0, Notifiers: []string{"pager"}}}
	cadence := max(t.L3After, time.Second)
	c.Notify.Cadence = map[string]time.Duration{"L1": cadence, "L2": cadence, "L3": cadence}
	c.Notify.Attempts, c.Notify.Backoff, c.Notify.Timeout = 1, t.Poll, t.HealthTimeout
}

func (p *pager) stop(ctx context.Context) error {
	err := p.srv.Shutdown(ctx)
	p.wg.Wait()
	return err
}
