package signal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of utime and stime in /proc/<pid>/stat. Linux fixes
// it at 100 for user space on every common architecture, and reading it
// properly (sysconf) would need cgo.
const userHZ = 100

// ProcessSource reads a local process's CPU or memory from /proc. See
// Process.
type ProcessSource struct {
	pid      int
	resource Resource
	procRoot string // "/proc"; tests point it at a fake tree
	cpus     float64
	meter    cpuMeter
}

// Process reads resource r of the local process pid from /proc (Linux).
// CPU is (utime+stime) between two readings over the wall time between
// them (the now arguments), over the number of CPUs Go may use: the first
// reading is invalid and only sets the mark. Memory is VmRSS over the
// machine's MemTotal.
func Process(pid int, r Resource) (*ProcessSource, error) {
	if pid <= 0 {
		return nil, fmt.Errorf("%w: pid must be positive, got %d", ErrConfig, pid)
	}
	if err := r.valid(); err != nil {
		return nil, err
	}
	return &ProcessSource{pid: pid, resource: r, procRoot: "/proc", cpus: float64(runtime.NumCPU())}, nil
}

// Read implements Source.
func (s *ProcessSource) Read(_ context.Context, now time.Time) Reading {
	if s.resource == CPU {
		return s.readCPU(now)
	}
	return s.readMemory()
}

func (s *ProcessSource) dir() string { return filepath.Join(s.procRoot, strconv.Itoa(s.pid)) }

func (s *ProcessSource) readCPU(now time.Time) Reading {
	secs, err := procCPUSeconds(filepath.Join(s.dir(), "stat"))
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v, err := s.meter.percent(now, secs, s.cpus)
	return percentReading(v, fmt.Sprintf("pid %d CPU %.1f%% of %g CPUs (%.2fs CPU time total)", s.pid, v, s.cpus, secs), err)
}

func (s *ProcessSource) readMemory() Reading {
	rss, err := kBField(filepath.Join(s.dir(), "status"), "VmRSS:")
	if err != nil {
		return invalid(UnitPercent, err)
	}
	total, err := memTotal(s.procRoot)
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v := 100 * rss / total
	return percentReading(v, fmt.Sprintf("pid %d RSS %s of MemTotal %s (%.1f%%)", s.pid, mib(rss), mib(total), v), nil)
}

// procCPUSeconds reads utime+stime from a /proc/<pid>/stat file. The
// command name in parentheses may hold spaces, so fields are counted from
// the last ')'.
func procCPUSeconds(path string) (float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	text := string(data)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:])
	// After the name come state (field 3), ..., utime (14) and stime (15).
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, fmt.Errorf("%w: %s has %d fields", ErrMalformed, path, len(fields))
	}
	u, err1 := strconv.ParseFloat(fields[utime], 64)
	st, err2 := strconv.ParseFloat(fields[stime], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%w: %s utime %q stime %q", ErrMalformed, path, fields[utime], fields[stime])
	}
	return (u + st) / userHZ, nil
}

// mib renders a byte count for Detail.
func mib(b float64) string { return fmt.Sprintf("%.1fMiB", b/(1<<20)) }
