package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/testtool"
)

// page drives the operations page in a real headless Chromium.
type page struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string // console errors and uncaught exceptions
}

// openPage starts Chromium on url and records what the console reports.
func openPage(t *testing.T, url string, width, height int64) *page {
	t.Helper()
	bin := testtool.Need(t, "chromium", "chromium-browser", "google-chrome")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(int(width), int(height)))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	// Cancelling the browser's context ends Chromium and waits for it.
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	p := &page{t: t, ctx: ctx}
	chromedp.ListenTarget(ctx, p.listen)
	if err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return p
}

func (p *page) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError {
			msg = fmt.Sprintf("console.error: %v", ev.Args)
		}
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Error()
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.LevelError {
			msg = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if msg != "" {
		p.mu.Lock()
		p.errors = append(p.errors, msg)
		p.mu.Unlock()
	}
}

// consoleErrors returns what the console reported as errors so far.
func (p *page) consoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// eval evaluates a JavaScript expression into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	if err := chromedp.Run(p.ctx, chromedp.Evaluate(expr, out)); err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// text returns the text of the element with the id.
func (p *page) text(id string) string {
	var s string
	p.eval(fmt.Sprintf(`(document.getElementById(%q)||{}).textContent||""`, id), &s)
	return s
}

// waitFor polls expr, a boolean expression, every 50 ms until it holds,
// failing after bound.
func (p *page) waitFor(what, expr string, bound time.Duration) time.Duration {
	p.t.Helper()
	start := time.Now()
	for {
		var ok bool
		p.eval(expr, &ok)
		if ok {
			return time.Since(start)
		}
		if time.Since(start) > bound {
			p.t.Fatalf("page: %s: not within %s (level %q, controls %q, incident %q)", what, bound,
				p.text("level"), p.text("controls-why"), p.text("incident-why"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *page) run(what string, actions ...chromedp.Action) {
	p.t.Helper()
	if err := chromedp.Run(p.ctx, actions...); err != nil {
		p.t.Fatalf("page: %s: %v", what, err)
	}
}

// screenshot saves the page as docs/NAME.png when LIFEBOAT_SCREENSHOTS is
// set (how README's pictures are refreshed), and in a temporary
// directory otherwise, so every run still proves the page renders.
func (p *page) screenshot(name string) {
	p.t.Helper()
	var png []byte
	p.run("screenshot", chromedp.FullScreenshot(&png, 100))
	dir := p.t.TempDir()
	if os.Getenv("LIFEBOAT_SCREENSHOTS") != "" {
		dir = filepath.Join("..", "..", "docs")
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s: %d bytes", path, len(png))
}

// uiGateway runs both simulators and a gateway whose escalation runs by
// itself, with an admin token, as an operator would meet it.
func uiGateway(t *testing.T) (*sim.Server, string, config.Config) {
	t.Helper()
	ov, _, c := escalationConfig(t, []config.Trigger{planTrigger(t, "health_checks")})
	c.Escalation.EvaluateEvery = 100 * time.Millisecond
	c.Admin.Token = uiToken
	return ov, "http://" + startApp(t, c).Addr(), c
}

const uiToken = "page-test-token"

// wantNoConsoleErrors fails on anything the console reported.
func (p *page) wantNoConsoleErrors() {
	p.t.Helper()
	if errs := p.consoleErrors(); len(errs) > 0 {
		p.t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
