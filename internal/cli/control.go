package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// The commands below let a person take control of a running gateway's
// escalation. Each prints the engine's state afterwards and exits 1 with
// the API's message when the gateway refuses, for example a restore that is
// not possible now.

// levelCall is one client call that returns the engine's new status.
type levelCall func(c *client.Client, ctx context.Context, by string) (level.Status, error)

func runLevel(ctx context.Context, env Env, args []string) error {
	const use = "usage: lifeboat level set L0|L1|L2|L3 [--by NAME] [--addr URL] [--token T]"
	fs := flagSet(env, "level")
	r := remoteFlags(fs, env, true)
	fs.Usage = func() { fmt.Fprintf(fs.Output(), "%s\n\nFlags:\n", use); fs.PrintDefaults() }
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "set" {
		fmt.Fprintln(env.Stderr, use)
		return errUsage
	}
	l, err := level.ParseLevel(pos[1])
	if err != nil {
		fmt.Fprintf(env.Stderr, "%v\n%s\n", err, use)
		return errUsage
	}
	return r.run(ctx, env, func(c *client.Client, ctx context.Context, by string) (level.Status, error) {
		return c.SetLevel(ctx, l, by)
	})
}

func runRollback(ctx context.Context, env Env, args []string) error {
	return runVerb(ctx, env, "rollback", args, map[string]levelCall{"": (*client.Client).Rollback})
}

func runRestore(ctx context.Context, env Env, args []string) error {
	return runVerb(ctx, env, "restore", args, map[string]levelCall{
		"start": (*client.Client).RestoreStart,
		"abort": (*client.Client).RestoreAbort,
		"ack":   (*client.Client).RestoreAck,
	})
}

func runAutomation(ctx context.Context, env Env, args []string) error {
	return runVerb(ctx, env, "automation", args, map[string]levelCall{
		"pause":  (*client.Client).Pause,
		"resume": (*client.Client).Resume,
	})
}

// runVerb runs the call its one positional argument names; the verb ""
// is the command without one.
func runVerb(ctx context.Context, env Env, name string, args []string, verbs map[string]levelCall) error {
	fs := flagSet(env, name)
	r := remoteFlags(fs, env, true)
	use := fmt.Sprintf("usage: lifeboat %s%s [--by NAME] [--addr URL] [--token T]", name, verbList(slices.Sorted(maps.Keys(verbs))))
	fs.Usage = func() { fmt.Fprintf(fs.Output(), "%s\n\nFlags:\n", use); fs.PrintDefaults() }
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	call := verbs[strings.Join(pos, " ")]
	if call == nil || len(pos) > 1 {
		fmt.Fprintln(env.Stderr, use)
		return errUsage
	}
	return r.run(ctx, env, call)
}

// verbList prints the verbs as " a|b|c", or nothing for a command without.
func verbList(names []string) string {
	names = slices.DeleteFunc(names, func(s string) bool { return s == "" })
	if len(names) == 0 {
		return ""
	}
	return " " + strings.Join(names, "|")
}

// run calls the gateway and prints the engine's state after the command.
func (r *remote) run(ctx context.Context, env Env, call levelCall) error {
	st, err := call(r.client(), ctx, r.by)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, st)
	}
	fmt.Fprintf(env.Stdout, "ok: %s (%s), mode %s\n", st.Level, st.Phase, st.Mode)
	fmt.Fprintf(env.Stdout, "next: %s\n", st.Next)
	return nil
}
