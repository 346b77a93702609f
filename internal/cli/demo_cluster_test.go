package cli

import "testing"

// The cluster demo on the tests' timeline: three replicas, the primary
// down, the decider killed at L3, another takes over keeping L3, the
// restore completes, and every acknowledged write reached the primary
// once and in order; it exits 0 and tells the story in order.
func TestClusterDemoNarratesAHandOverAndExitsZero(t *testing.T) {
	t.Parallel()
	code, out, errs := run(t, []string{"demo", "--cluster", "--fast"})
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	story := []string{
		`etcd      embedded, one node    http://127\.0\.0\.1:\d+`,
		`replica   gw-c`,
		`cluster   gw-\w decides`,
		`fault     the primary is DOWN`,
		`level     L3 `,
		`kill      kill -9 gw-\w, the decider, mid-incident`,
		`cluster   gw-\w decides now, [\d.]+m?s after the kill; it kept L3`,
		`fault     the primary is back`,
		`level     L0 `,
		`journal   \d+ acknowledged writes checked on the primary`,
		`time to a new decider\s+[\d.]+m?s\s+<= 4s \(lease \+ margin\)\s+pass`,
		`client requests failed\s+\d+ of \d+`,
		`acknowledged writes\s+\d+ replayed once, in order`,
		`cluster demo: PASSED`,
		`everything it started is stopped`,
	}
	tellsInOrder(t, out, story)
	t.Log(out)
}
