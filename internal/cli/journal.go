package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
)

// The journal command decides what becomes of a journal the gateway set
// aside at start because its writes were made for another primary: nothing
// replays it until a person names where.

const journalUsage = "usage: lifeboat journal held | journal replay --to URL --by NAME [--path P] | " +
	"journal discard --by NAME --reason TEXT [--path P] [--addr URL] [--token T]"

func runJournal(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "journal")
	r := remoteFlags(fs, env, true)
	to := fs.String("to", "", "base URL of the primary to replay the held writes to (replay)")
	path := fs.String("path", "", "which held journal, when several are held (see journal held)")
	reason := fs.String("reason", "", "why the held writes may be lost (discard)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	verb := ""
	if len(pos) == 1 {
		verb = pos[0]
	}
	c := r.client()
	switch {
	case verb == "held":
		held, err := c.HeldJournals(ctx)
		if err != nil {
			return apiError(err)
		}
		if r.json {
			return printJSON(env, held)
		}
		printHeld(env, held)
		return nil
	case verb == "replay" && *to != "":
		return printResult(env, r, func() (map[string]any, error) { return c.ReplayHeld(ctx, *path, *to, r.by) })
	case verb == "discard" && *reason != "":
		return printResult(env, r, func() (map[string]any, error) { return c.DiscardHeld(ctx, *path, r.by, *reason) })
	}
	fmt.Fprintln(env.Stderr, journalUsage)
	return errUsage
}

func printResult(env Env, r *remote, call func() (map[string]any, error)) error {
	res, err := call()
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, res)
	}
	for _, k := range []string{"path", "to", "replayed", "already", "lost", "remaining", "discarded", "incident"} {
		if v, ok := res[k]; ok {
			fmt.Fprintf(env.Stdout, "%s: %v\n", k, v)
		}
	}
	return nil
}

func printHeld(env Env, held []client.HeldJournal) {
	if len(held) == 0 {
		fmt.Fprintln(env.Stdout, "no journal is held")
		return
	}
	for _, h := range held {
		fmt.Fprintf(env.Stdout, "%s: %d writes for primary %s (fallback %s), set aside %s",
			h.Path, h.Pending, h.Primary, h.Fallback, h.Since.Local().Format(time.DateTime))
		if h.Incident != "" {
			fmt.Fprintf(env.Stdout, ", incident %s", h.Incident)
		}
		fmt.Fprintln(env.Stdout)
	}
}
