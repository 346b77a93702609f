package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// incidentUsage lists the incident subcommands; each also takes --addr,
// --token, --timeout and --json.
const incidentUsage = `usage: lifeboat incident <subcommand> [flags]

  list [--limit N]                                   the newest incidents
  show ID [--last N]                                 one incident: metrics, checklists, timeline
  report ID [--format md|json] [--out FILE]          the incident report (and its chart with md)
  ack ID --by NAME                                   take the incident on: stops its escalation
  tick ID --checklist NAME --item TEXT|N --by NAME   tick a checklist item`

// incidentCommands are the subcommands of `lifeboat incident`.
var incidentCommands = map[string]func(ctx context.Context, env Env, args []string) error{
	"list":   runIncidentList,
	"show":   runIncidentShow,
	"report": runIncidentReport,
	"ack":    runIncidentAck,
	"tick":   runIncidentTick,
}

func runIncident(ctx context.Context, env Env, args []string) error {
	if asksHelp(args) {
		fmt.Fprintln(env.Stdout, incidentUsage)
		return nil
	}
	if len(args) > 0 {
		if run := incidentCommands[args[0]]; run != nil {
			return run(ctx, env, args[1:])
		}
	}
	fmt.Fprintln(env.Stderr, incidentUsage)
	return errUsage
}

// incidentArgs parses a subcommand's flags and its one incident ID.
func incidentArgs(fs *flag.FlagSet, env Env, args []string) (string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		fmt.Fprintf(env.Stderr, "%s needs one incident ID, got %d arguments\n\n%s\n", fs.Name(), len(pos), incidentUsage)
		return "", errUsage
	}
	return pos[0], nil
}

// required reports a missing flag as a usage error.
func required(env Env, fs *flag.FlagSet, names ...string) error {
	for _, name := range names {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			fmt.Fprintf(env.Stderr, "%s: --%s is required\n\n%s\n", fs.Name(), name, incidentUsage)
			return errUsage
		}
	}
	return nil
}

func runIncidentList(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "incident list")
	r := remoteFlags(fs, env, false)
	limit := fs.Int("limit", 20, "how many incidents to show, newest first (1-1000)")
	if err := parse(fs, args); err != nil {
		return err
	}
	list, err := r.client().Incidents(ctx, *limit)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, list)
	}
	printIncidentList(env.Stdout, list, time.Now())
	return nil
}

func printIncidentList(w io.Writer, list []incident.Incident, now time.Time) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no incidents recorded")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOPENED\tSTATUS\tLEVEL\tMAX\tTRIGGER\tACKED BY")
	for _, inc := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inc.ID, stamp(inc.OpenedAt), lifetime(inc, now),
			inc.Level, inc.MaxLevel, orDash(inc.Trigger), orDash(inc.AckedBy))
	}
	tw.Flush()
}

// lifetime says whether an incident is open and how long it lasted.
func lifetime(inc incident.Incident, now time.Time) string {
	if inc.Open {
		return "open for " + now.Sub(inc.OpenedAt).Round(time.Second).String()
	}
	return "closed after " + inc.ClosedAt.Sub(inc.OpenedAt).Round(time.Second).String()
}

// stamp prints an incident's times in UTC, as its report does.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runIncidentAck(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "incident ack")
	r := remoteFlags(fs, env, true)
	id, err := incidentArgs(fs, env, args)
	if err != nil {
		return err
	}
	if err := required(env, fs, "by"); err != nil {
		return err
	}
	inc, err := r.client().Ack(ctx, id, r.by)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, inc)
	}
	fmt.Fprintf(env.Stdout, "ok: %s acknowledged by %s at %s; its escalation chain stops\n", inc.ID, inc.AckedBy, stamp(inc.AckedAt))
	return nil
}

func runIncidentTick(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "incident tick")
	r := remoteFlags(fs, env, true)
	checklist := fs.String("checklist", "", "emergency_rollback or post_rollback_review")
	item := fs.String("item", "", "the item's text (any case) or its position, from 1")
	id, err := incidentArgs(fs, env, args)
	if err != nil {
		return err
	}
	if err := required(env, fs, "checklist", "item", "by"); err != nil {
		return err
	}
	c, err := r.client().Tick(ctx, id, *checklist, *item, r.by)
	if err != nil {
		return apiError(err)
	}
	if r.json {
		return printJSON(env, c)
	}
	fmt.Fprintf(env.Stdout, "ok: ticked by %s\n\n", r.by)
	printChecklist(env.Stdout, c)
	return nil
}
