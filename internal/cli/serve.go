package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// drainTimeout bounds how long a stopping gateway waits for requests in
// flight.
const drainTimeout = 30 * time.Second

func runServe(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "serve")
	file := fs.String("config", "", "YAML configuration file (default: built-in defaults)")
	listen := fs.String("listen", "", "listen address, overriding the file (default 127.0.0.1:8002)")
	primary := fs.String("primary", "", "primary (OpenViking) URL, overriding the file (default http://127.0.0.1:1933)")
	fallback := fs.String("fallback", "", "fallback (LightRAG) URL, overriding the file (default http://127.0.0.1:9621)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*file)
	if err != nil {
		return err
	}
	override(&cfg.Listen, *listen)
	override(&cfg.Upstreams.Primary.URL, *primary)
	override(&cfg.Upstreams.Fallback.URL, *fallback)
	a, err := app.New(app.Options{Config: cfg, Logger: newLogger(env, cfg.Log), Version: Version})
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	return a.Stop(stopCtx)
}

func loadConfig(file string) (config.Config, error) {
	if file == "" {
		return config.Default(), nil
	}
	return config.Load(file)
}

func override(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func newLogger(env Env, c config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}

func runCheckConfig(_ context.Context, env Env, args []string) error {
	fs := flagSet(env, "check-config")
	fs.Usage = func() { fmt.Fprintln(env.Stderr, "usage: lifeboat check-config FILE") }
	// Parse has printed the usage for -h and a bad flag already.
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	cfg, err := config.Load(fs.Arg(0))
	if err != nil {
		return err
	}
	// Building the app checks what the file alone cannot: that actions'
	// programs exist, that signal sources can be built, that the admin API
	// is not exposed without a token. Nothing listens or runs.
	// Its state goes to a scratch directory so checking changes nothing.
	scratch, err := os.MkdirTemp("", "lifeboat-check-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	cfg.Escalation.DataDir = scratch
	a, err := app.New(app.Options{Config: cfg, ManualEscalation: true})
	if err != nil {
		return err
	}
	if err := a.Stop(context.Background()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: ok\n", fs.Arg(0))
	return nil
}
