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

// CgroupSource reads a cgroup v2's CPU or memory. See Cgroup.
type CgroupSource struct {
	dir      string
	resource Resource
	procRoot string // "/proc", for MemTotal; tests point it at a fake tree
	cpus     float64
	meter    cpuMeter
}

// Cgroup reads resource r of the cgroup v2 directory dir (such as
// /sys/fs/cgroup/system.slice/openviking.service). CPU is usage_usec of
// cpu.stat between two readings over the wall time between them, over the
// cgroup's CPU quota (cpu.max) or, without one, the machine's CPUs: the
// first reading is invalid and only sets the mark. Memory is
// memory.current over memory.max or, without a limit, over MemTotal.
func Cgroup(dir string, r Resource) (*CgroupSource, error) {
	if dir == "" {
		return nil, fmt.Errorf("%w: empty cgroup directory", ErrConfig)
	}
	if err := r.valid(); err != nil {
		return nil, err
	}
	return &CgroupSource{dir: dir, resource: r, procRoot: "/proc", cpus: float64(runtime.NumCPU())}, nil
}

// Read implements Source.
func (s *CgroupSource) Read(_ context.Context, now time.Time) Reading {
	if s.resource == CPU {
		return s.readCPU(now)
	}
	return s.readMemory()
}

func (s *CgroupSource) readCPU(now time.Time) Reading {
	usec, err := cpuStatUsage(filepath.Join(s.dir, "cpu.stat"))
	if err != nil {
		return invalid(UnitPercent, err)
	}
	cpus, err := s.quota()
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v, err := s.meter.percent(now, usec/1e6, cpus)
	return percentReading(v, fmt.Sprintf("cgroup %s CPU %.1f%% of %g CPUs", s.dir, v, cpus), err)
}

// quota reads cpu.max ("max 100000" or "200000 100000") as a number of
// CPUs; a missing file (the cpu controller is off) means no quota.
func (s *CgroupSource) quota() (float64, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, "cpu.max"))
	if os.IsNotExist(err) {
		return s.cpus, nil
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	fields := strings.Fields(string(data))
	if len(fields) != 2 {
		return 0, fmt.Errorf("%w: cpu.max %q", ErrMalformed, data)
	}
	if fields[0] == "max" {
		return s.cpus, nil
	}
	q, err1 := strconv.ParseFloat(fields[0], 64)
	p, err2 := strconv.ParseFloat(fields[1], 64)
	if err1 != nil || err2 != nil || q <= 0 || p <= 0 {
		return 0, fmt.Errorf("%w: cpu.max %q", ErrMalformed, data)
	}
	return q / p, nil
}

func (s *CgroupSource) readMemory() Reading {
	cur, _, err := readNumber(filepath.Join(s.dir, "memory.current"))
	if err != nil {
		return invalid(UnitPercent, err)
	}
	limit, limited, err := readNumber(filepath.Join(s.dir, "memory.max"))
	what := "memory.max"
	if err == nil && !limited {
		limit, err = memTotal(s.procRoot)
		what = "MemTotal"
	}
	if err == nil && limit <= 0 {
		err = fmt.Errorf("%w: %s is %g", ErrMalformed, what, limit)
	}
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v := 100 * cur / limit
	return percentReading(v, fmt.Sprintf("cgroup %s memory %s of %s %s (%.1f%%)", s.dir, mib(cur), what, mib(limit), v), nil)
}

// cpuStatUsage reads usage_usec from a cpu.stat file.
func cpuStatUsage(path string) (float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	for line := range strings.Lines(string(data)) {
		name, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok && name == "usage_usec" {
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return 0, fmt.Errorf("%w: %s usage_usec: %w", ErrMalformed, path, err)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: no usage_usec in %s", ErrNoData, path)
}
