// Command pprofgw is lifeboat with net/http/pprof on a second, loopback-only
// listener, so the benchmark can take a CPU profile of the real gateway
// under load. The gateway itself is the unchanged internal/cli entry point.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
	"os/signal"
	"syscall"

	"github.com/lifeboat-sre/lifeboat/internal/cli"
)

func main() {
	fs := flag.NewFlagSet("pprofgw", flag.ExitOnError)
	addr := fs.String("pprof", "127.0.0.1:18120", "pprof listen address (loopback)")
	_ = fs.Parse(os.Args[1:])
	go func() { log.Println(http.ListenAndServe(*addr, nil)) }()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, fs.Args(), cli.Env{Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
