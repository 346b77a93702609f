//go:build !unix

package action

import "os/exec"

// killGroupOnCancel keeps exec's default of killing the process alone:
// process groups are a Unix notion. WaitDelay still bounds Wait.
func killGroupOnCancel(*exec.Cmd) {}
