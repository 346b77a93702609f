package signal

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resource says which resource a Process or Cgroup source reads.
type Resource string

// The resources. Both read in percent.
const (
	// CPU is CPU time used per wall-clock time, as a share of the CPUs
	// available (all CPUs of the machine, or a cgroup's quota): 100 means
	// every available CPU was busy between two readings.
	CPU Resource = "cpu"
	// Memory is resident memory as a share of the limit (a cgroup's
	// memory.max) or, without one, of the machine's MemTotal.
	Memory Resource = "memory"
)

func (r Resource) valid() error {
	if r != CPU && r != Memory {
		return fmt.Errorf("%w: resource %q, want %q or %q", ErrConfig, r, CPU, Memory)
	}
	return nil
}

// cpuMeter turns a growing CPU-seconds counter into a percentage between
// two readings. The first reading, and one whose time or counter went
// backwards, only sets the mark.
type cpuMeter struct {
	mu      sync.Mutex
	seconds float64
	at      time.Time
}

func (m *cpuMeter) percent(now time.Time, seconds, cpus float64) (float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	dt := now.Sub(m.at).Seconds()
	used := seconds - m.seconds
	first := m.at.IsZero()
	m.seconds, m.at = seconds, now
	if first || dt <= 0 || used < 0 {
		return 0, fmt.Errorf("%w: CPU needs two readings, this one only sets the mark", ErrNoData)
	}
	return 100 * used / dt / cpus, nil
}

// memTotal reads MemTotal from a meminfo file, in bytes.
func memTotal(procRoot string) (float64, error) {
	total, err := kBField(filepath.Join(procRoot, "meminfo"), "MemTotal:")
	if err == nil && total <= 0 {
		err = fmt.Errorf("%w: MemTotal is %g", ErrMalformed, total)
	}
	return total, err
}

// kBField reads a "Name:   1234 kB" line from a /proc file, in bytes.
func kBField(path, name string) (float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == name {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err != nil {
				return 0, fmt.Errorf("%w: %s %s: %w", ErrMalformed, path, name, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("%w: no %s in %s", ErrNoData, name, path)
}

// readNumber reads a file holding one number, such as memory.current.
// The word "max" reads as ok false.
func readNumber(path string) (v float64, ok bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	text := strings.TrimSpace(string(data))
	if text == "max" {
		return 0, false, nil
	}
	v, err = strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%w: %s: %w", ErrMalformed, path, err)
	}
	return v, true, nil
}

// percentReading wraps a resource percentage and its evidence.
func percentReading(v float64, detail string, err error) Reading {
	if err != nil {
		return invalid(UnitPercent, err)
	}
	return Reading{Value: v, Valid: true, Unit: UnitPercent, Detail: detail}
}
