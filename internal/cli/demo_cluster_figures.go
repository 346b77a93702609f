package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// clusterFigures are what the cluster demo measured.
type clusterFigures struct {
	// takeOver is from the kill to another replica deciding; kept whether
	// it still held Level 3 then.
	takeOver time.Duration
	kept     bool
	// restored is whether the level came back to L0 after the primary did.
	restored bool
	// sent and failed count the clients' requests.
	sent, failed int64
	// acked counts acknowledged writes; bad is the first one not on the
	// primary exactly once and in order, "" when all are.
	acked int
	bad   string
}

// takeOverMargin is allowed beyond the lease: the election's own round
// trips and the demo's polling.
const takeOverMargin = 2 * time.Second

// failedAllowance is how many requests may fail: those in flight on the
// killed replica, at most one per client.
const failedAllowance = searchWorkers + writers

func (f clusterFigures) hold(lease time.Duration) bool {
	return f.takeOver <= lease+takeOverMargin && f.kept && f.restored &&
		f.failed <= failedAllowance && f.acked > 0 && f.bad == ""
}

func (f clusterFigures) print(w io.Writer, lease time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tMEASURED\tTARGET\tRESULT")
	row := func(name, got, target string, ok bool) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, got, target, passWord(ok))
	}
	row("time to a new decider", short(f.takeOver), "<= "+short(lease+takeOverMargin)+" (lease + margin)",
		f.takeOver <= lease+takeOverMargin)
	row("level kept by the new decider", yesNo(f.kept), "L3 kept", f.kept)
	row("restore completed", yesNo(f.restored), "back to L0", f.restored)
	row("client requests failed", fmt.Sprintf("%d of %d", f.failed, f.sent),
		fmt.Sprintf("<= %d (in flight on the killed replica)", failedAllowance), f.failed <= failedAllowance)
	replay := fmt.Sprintf("%d replayed once, in order", f.acked)
	if f.bad != "" {
		replay = f.bad
	}
	row("acknowledged writes", replay, "every one once, in order", f.acked > 0 && f.bad == "")
	tw.Flush()
	verdict := "PASSED: every figure holds"
	if !f.hold(lease) {
		verdict = "FAILED: a figure does not hold"
	}
	fmt.Fprintf(w, "\ncluster demo: %s\n", verdict)
}

func passWord(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
