package main

import (
	"log"
	"time"
)

// waitQuiet waits, up to c.quietWait, until the machine is idle apart from
// the benchmark's own idle processes, and returns how busy it was in the
// last look. The benchmark shares its machine with whatever else runs
// there; a round taken while something else burns CPU measures that
// something as much as the proxy, so it waits it out and records it.
func waitQuiet(c config, name string) float64 {
	deadline := time.Now().Add(c.quietWait)
	for {
		busy := machineBusy(500 * time.Millisecond)
		if busy <= c.quiet || !time.Now().Before(deadline) {
			if busy > c.quiet {
				log.Printf("%s: machine still %.0f%% busy with other work; measuring anyway", name, busy*100)
			}
			return busy
		}
		time.Sleep(2 * time.Second)
	}
}
