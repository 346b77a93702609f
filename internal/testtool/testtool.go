// Package testtool is what tests of several packages share: the gateway
// run in-process (StartApp), and the external programs some tests drive
// (promtool, Chromium). A test that needs a program fails under CI, whose
// .ci/run installs them, and is skipped elsewhere, so a laptop without
// them still runs the rest of the suite.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the first of names found on PATH. Without any,
// it fails the test when CI is set and skips it otherwise.
func Need(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("none of %v is installed: .ci/run must install it", names)
	}
	t.Skipf("none of %v is installed", names)
	return ""
}
