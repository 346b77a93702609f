// Package cli turns Lifeboat's command line into calls on the app and the
// simulators. main stays thin: it hands over the arguments, the output
// streams and a context cancelled by SIGINT or SIGTERM.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

// errUsage marks a command line that could not be understood; the usage
// text has already been printed.
var errUsage = errors.New("usage")

// Env is what a command may touch.
type Env struct {
	Stdout, Stderr io.Writer
	// Getenv reads an environment variable. Nil means os.Getenv.
	Getenv func(key string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the gateway in front of the primary and the fallback", runServe},
		{"check-config", "validate a configuration file and exit", runCheckConfig},
		{"sim", "run a simulator: sim openviking|lightrag --listen ADDR", runSim},
		{"status", "show a running gateway's level, mode, triggers and next step", runStatus},
		{"level", "force a level: level set L0|L1|L2|L3 [--by NAME]", runLevel},
		{"rollback", "force Level 3: verify the fallback, then move all traffic to it", runRollback},
		{"restore", "drive the restore: restore start|abort|ack", runRestore},
		{"automation", "stop or restart automatic escalation: automation pause|resume", runAutomation},
		{"incident", "see and work incidents: incident list|show|report|ack|tick", runIncident},
		{"analyze", "compare a window's latency, errors and resources with a baseline", runAnalyze},
		{"diagnostics", "save a diagnostics bundle: diagnostics --out FILE.tar.gz", runDiagnostics},
		{"load", "closed-loop load test: load --url URL --concurrent 100 --duration 60s", runLoad},
		{"verify", "run the integration suite through the gateway: verify [--suite FILE]", runVerify},
		{"drill", "fallback drill: drill --scenario NAME --duration 300s; drill history", runDrill},
		{"demo", "start simulators and a gateway in-process, drill an outage and narrate it", runDemo},
		{"journal", "replay or discard a journal held for another primary: journal held|replay --to URL|discard", runJournal},
		{"fault", "inject a fault toward the primary: fault set --latency 300ms --duration 60s | show | clear", runFault},
		{"version", "print the version", runVersion},
	}
}

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	switch {
	case len(args) == 0:
		usage(env.Stderr)
		return 2
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(env, c.run(ctx, env, args[1:]))
		}
	}
	fmt.Fprintf(env.Stderr, "lifeboat: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

func exitCode(env Env, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		// Help that was asked for is an answer, not a mistake.
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(env.Stderr, "lifeboat: %v\n", err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Lifeboat: an automatic fallback gateway for OpenViking.")
	fmt.Fprintln(w, "\nUsage: lifeboat <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'lifeboat <command> -h' for a command's flags.")
}

// asksHelp reports a command line that asks for help before any verb or
// flag a command could parse, such as `lifeboat incident --help`.
func asksHelp(args []string) bool {
	return len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help")
}

// flagSet returns a FlagSet that reports errors instead of exiting.
func flagSet(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("lifeboat "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

func runVersion(_ context.Context, env Env, _ []string) error {
	fmt.Fprintln(env.Stdout, "lifeboat", Version)
	return nil
}
