// Command lifeboat is an automatic fallback gateway: it sits in front of
// OpenViking and a LightRAG-based fallback and carries out the operations
// plan's levels by itself. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lifeboat-sre/lifeboat/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
