package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It
// is 100 on every Linux architecture Go supports.
const clockTicks = 100

// family returns pid and all its descendants, found through
// /proc/PID/task/TID/children.
func family(pid int) []int {
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", out[i]))
		for _, f := range tasks {
			data, _ := os.ReadFile(f)
			for _, s := range strings.Fields(string(data)) {
				if n, err := strconv.Atoi(s); err == nil {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// cpuSeconds is the user plus system CPU time the processes have used.
func cpuSeconds(pids []int) float64 {
	var ticks int64
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The command name may hold spaces; fields restart after its ')'.
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(f) > 12 {
			ut, _ := strconv.ParseInt(f[11], 10, 64)
			st, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += ut + st
		}
	}
	return float64(ticks) / clockTicks
}

// memKB sums the VmRSS and VmHWM of the processes, in KiB.
func memKB(pids []int) (rss, hwm int64) {
	for _, pid := range pids {
		f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if !ok {
				continue
			}
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			switch k {
			case "VmRSS":
				rss += n
			case "VmHWM":
				hwm += n
			}
		}
		f.Close()
	}
	return rss, hwm
}

// resetPeak makes VmHWM start again from the current RSS (Linux 4.0+), so
// each run's peak is its own. It reports whether every reset worked; if
// not, VmHWM is the peak since the process started.
func resetPeak(pids []int) bool {
	ok := true
	for _, pid := range pids {
		if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
			ok = false
		}
	}
	return ok
}

// cpuTimes reads one CPU's busy and total jiffies from /proc/stat.
func cpuTimes(cpu int) (busy, total int64) {
	if cpu < 0 {
		return 0, 0
	}
	return statLine(fmt.Sprintf("cpu%d ", cpu))
}

// statLine sums the jiffies of the /proc/stat line starting with prefix:
// busy is everything but idle and iowait.
func statLine(prefix string) (busy, total int64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		for i, s := range strings.Fields(line)[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			total += n
			if i != 3 && i != 4 { // idle and iowait
				busy += n
			}
		}
	}
	return busy, total
}

// machineBusy is how busy all CPUs together were over d (0 to 1).
func machineBusy(d time.Duration) float64 {
	b0, t0 := statLine("cpu ")
	time.Sleep(d)
	b1, t1 := statLine("cpu ")
	if t1 <= t0 {
		return 0
	}
	return float64(b1-b0) / float64(t1-t0)
}

// busyMeter measures how busy one CPU was between start and stop.
type busyMeter struct {
	cpu         int
	busy, total int64
}

func startBusy(cpu int) busyMeter {
	b, t := cpuTimes(cpu)
	return busyMeter{cpu: cpu, busy: b, total: t}
}

// stop returns the busy share (0 to 1), or -1 when the CPU is not tracked.
func (m busyMeter) stop() float64 {
	b, t := cpuTimes(m.cpu)
	if m.cpu < 0 || t <= m.total {
		return -1
	}
	return float64(b-m.busy) / float64(t-m.total)
}
