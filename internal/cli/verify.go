package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strconv"
	"text/tabwriter"

	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

// runVerify is the plan's integration test (smp_integration_test.py): it
// runs the built-in OpenViking suite, or a YAML suite, through the gateway
// and prints one PASS or FAIL row per step. It exits 1 when any step fails.
func runVerify(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "verify")
	url := fs.String("url", defaultAddr, "where to send the suite: the gateway, or a service directly")
	file := fs.String("suite", "", "YAML suite file (default: the built-in OpenViking suite)")
	timeout := fs.Duration("timeout", 0, "bound on each step (default: the suite's, else 10s)")
	var headers headerFlag
	fs.Var(&headers, "header", "header sent with every step, 'Name: value' (repeatable)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	suite := verify.OpenViking()
	if *file != "" {
		var err error
		if suite, err = verify.LoadSuite(*file); err != nil {
			return err
		}
	}
	if *timeout > 0 {
		suite.Timeout = *timeout
	}
	suite.Headers = withHeaders(suite.Headers, headers)
	rep := verify.Run(ctx, nil, withScheme(*url), suite)
	if *asJSON {
		if err := printJSON(env, rep); err != nil {
			return err
		}
	} else {
		printReport(env.Stdout, rep)
	}
	if !rep.OK() {
		return fmt.Errorf("%d of %d steps failed", rep.Failed(), len(rep.Steps))
	}
	return nil
}

// withHeaders adds the --header flags to a suite's headers; the flags win.
func withHeaders(base map[string]string, f headerFlag) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	for k := range f.h {
		out[k] = f.h.Get(k)
	}
	return out
}

// printReport writes one row per step: the request when it passed, the
// reason when it did not.
func printReport(w io.Writer, r verify.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tRESULT\tSTATUS\tLATENCY\tDETAIL")
	for _, s := range r.Steps {
		result, detail := "PASS", s.Method+" "+s.Path
		if !s.Passed {
			result, detail = "FAIL", s.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, result, statusText(s.Status), short(s.Latency), detail)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d of %d steps passed against %s in %s\n",
		len(r.Steps)-r.Failed(), len(r.Steps), r.URL, short(r.Duration))
}

func statusText(status int) string {
	if status == 0 {
		return "-"
	}
	return strconv.Itoa(status)
}
