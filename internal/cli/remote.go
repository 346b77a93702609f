package cli

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
)

// defaultAddr is where `lifeboat serve` listens by default.
const defaultAddr = "http://127.0.0.1:8002"

// tokenEnv names the variable holding the admin token, the same one the
// gateway reads by default.
const tokenEnv = "LIFEBOAT_ADMIN_TOKEN"

// remote holds the flags of every command that talks to a running gateway.
type remote struct {
	addr, token, by string
	timeout         time.Duration
	json            bool
}

// remoteFlags registers --addr, --token, --timeout and --json, plus --by
// for commands that change something.
func remoteFlags(fs *flag.FlagSet, env Env, withBy bool) *remote {
	r := &remote{}
	fs.StringVar(&r.addr, "addr", defaultAddr, "the gateway's address")
	fs.StringVar(&r.token, "token", env.getenv(tokenEnv), "admin bearer token (default $"+tokenEnv+")")
	fs.DurationVar(&r.timeout, "timeout", time.Minute, "how long to wait for the gateway's answer")
	fs.BoolVar(&r.json, "json", false, "print the answer as JSON")
	if withBy {
		fs.StringVar(&r.by, "by", "", "who asks, recorded in the event (default: the admin API and your address)")
	}
	return r
}

// client returns an admin API client; an address without a scheme is
// taken as http.
func (r *remote) client() *client.Client {
	addr := r.addr
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return client.New(addr, r.token, &http.Client{Timeout: r.timeout})
}

// apiError adds the API's code to its message, so a script or a person can
// tell "not possible now" from "bad input".
func apiError(err error) error {
	var ae *client.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s (%s)", ae.Message, ae.Code)
	}
	return err
}

// getenv reads the environment through Env.Getenv, or the process's own
// environment when it is nil.
func (env Env) getenv(key string) string {
	if env.Getenv == nil {
		return os.Getenv(key)
	}
	return env.Getenv(key)
}

// parseArgs parses flags placed anywhere among the arguments, so
// `lifeboat level set L2 --by alice` works as well as the flags-first form,
// and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
