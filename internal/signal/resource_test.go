package signal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// writeFiles creates files (path relative to dir -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// procStat builds a /proc/<pid>/stat line whose command name holds spaces
// and a parenthesis, with the given utime and stime ticks.
func procStat(utime, stime string) string {
	fields := []string{"S", "1", "1", "1", "0", "-1", "4194560", "100", "0", "0", "0", utime, stime, "0", "0"}
	return "4242 (my (odd) proc) " + strings.Join(fields, " ") + "\n"
}

const meminfo = "MemTotal:        2048000 kB\nMemFree:          100000 kB\n"

func TestProcessFromFakeProc(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"meminfo":     meminfo,
		"4242/stat":   procStat("1000", "500"),
		"4242/status": "Name:\tmy proc\nVmRSS:\t  512000 kB\n",
	})
	cpu, _ := Process(4242, CPU)
	cpu.procRoot, cpu.cpus = root, 2
	mem, _ := Process(4242, Memory)
	mem.procRoot = root
	ctx := context.Background()

	r := mem.Read(ctx, t0)
	wantValid(t, r, 25)
	wantDetail(t, r, "RSS 500.0MiB", "MemTotal 2000.0MiB")

	wantInvalid(t, cpu.Read(ctx, t0), ErrNoData) // the first reading only sets the mark
	writeFiles(t, root, map[string]string{"4242/stat": procStat("1300", "700")})
	// 500 ticks = 5s of CPU over 10s on 2 CPUs.
	wantValid(t, cpu.Read(ctx, t0.Add(10*time.Second)), 25)
	// Time standing still cannot yield a rate.
	wantInvalid(t, cpu.Read(ctx, t0.Add(10*time.Second)), ErrNoData)

	gone, _ := Process(4243, Memory)
	gone.procRoot = root
	wantInvalid(t, gone.Read(ctx, t0), ErrUnreachable)
	writeFiles(t, root, map[string]string{"4242/stat": "4242 (x) S 1\n"})
	wantInvalid(t, cpu.Read(ctx, t0.Add(time.Minute)), ErrMalformed)
}

func TestProcessSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	ctx := context.Background()
	mem, err := Process(os.Getpid(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	if r := mem.Read(ctx, time.Now()); !r.Valid || r.Value <= 0 || r.Value > 100 {
		t.Fatalf("own memory reading %+v", r)
	}
	cpu, _ := Process(os.Getpid(), CPU)
	start := time.Now()
	cpu.Read(ctx, start)
	r := cpu.Read(ctx, start.Add(time.Second))
	if !r.Valid || r.Value < 0 {
		t.Fatalf("own CPU reading %+v", r)
	}
}

func TestCgroupFromFakeTree(t *testing.T) {
	root, cg := t.TempDir(), t.TempDir()
	writeFiles(t, root, map[string]string{"meminfo": meminfo})
	writeFiles(t, cg, map[string]string{
		"cpu.stat":       "usage_usec 1000000\nuser_usec 600000\nsystem_usec 400000\n",
		"cpu.max":        "200000 100000\n",
		"memory.current": "1048576000\n",
		"memory.max":     "2097152000\n",
	})
	cpu, _ := Cgroup(cg, CPU)
	cpu.cpus = 8 // the quota of 2 CPUs applies, not the machine's 8
	mem, _ := Cgroup(cg, Memory)
	mem.procRoot = root
	ctx := context.Background()

	wantInvalid(t, cpu.Read(ctx, t0), ErrNoData)
	writeFiles(t, cg, map[string]string{"cpu.stat": "usage_usec 19000000\n"})
	// 18s of CPU over 10s on a 2-CPU quota.
	wantValid(t, cpu.Read(ctx, t0.Add(10*time.Second)), 90)
	wantValid(t, mem.Read(ctx, t0), 50)

	// Without limits, the machine's CPUs and MemTotal apply.
	writeFiles(t, cg, map[string]string{"cpu.max": "max 100000\n", "memory.max": "max\n", "cpu.stat": "usage_usec 27000000\n"})
	wantValid(t, cpu.Read(ctx, t0.Add(20*time.Second)), 10)
	r := mem.Read(ctx, t0)
	wantValid(t, r, 100*1048576000/(2048000*1024.0))
	wantDetail(t, r, "MemTotal")

	writeFiles(t, cg, map[string]string{"cpu.max": "garbage\n"})
	wantInvalid(t, cpu.Read(ctx, t0.Add(30*time.Second)), ErrMalformed)
	missing, _ := Cgroup(filepath.Join(cg, "nope"), Memory)
	wantInvalid(t, missing.Read(ctx, t0), ErrUnreachable)
}

func TestCgroupSelf(t *testing.T) {
	data, _ := os.ReadFile("/proc/self/cgroup")
	var rel string
	for line := range strings.Lines(string(data)) {
		if r, ok := strings.CutPrefix(strings.TrimSpace(line), "0::"); ok {
			rel = r
		}
	}
	dir := filepath.Join("/sys/fs/cgroup", rel)
	if _, err := os.Stat(filepath.Join(dir, "memory.current")); err != nil {
		t.Skip("cgroup memory controller not visible")
	}
	mem, _ := Cgroup(dir, Memory)
	if r := mem.Read(context.Background(), time.Now()); !r.Valid || r.Value <= 0 || r.Value > 100 {
		t.Fatalf("own cgroup memory reading %+v", r)
	}
}

func TestResourceConfig(t *testing.T) {
	if _, err := Process(0, CPU); !errors.Is(err, ErrConfig) {
		t.Errorf("pid 0: err = %v", err)
	}
	if _, err := Process(1, "disk"); !errors.Is(err, ErrConfig) {
		t.Errorf("bad resource: err = %v", err)
	}
	if _, err := Cgroup("", Memory); !errors.Is(err, ErrConfig) {
		t.Errorf("empty dir: err = %v", err)
	}
}
