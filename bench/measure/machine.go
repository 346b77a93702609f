package main

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Machine describes where and how the benchmark ran.
type Machine struct {
	Date      string            `json:"date"`
	CPUs      int               `json:"cpus"`
	CPUModel  string            `json:"cpu_model"`
	Kernel    string            `json:"kernel"`
	GoVersion string            `json:"go_version"`
	Tools     map[string]string `json:"tools"`
	Rounds    int               `json:"rounds"`
	Duration  string            `json:"wrk_duration"`
	VDuration string            `json:"vegeta_duration"`
	Conns     int               `json:"wrk_connections"`
	Threads   int               `json:"wrk_threads"`
	Rates     []int             `json:"rates"`
	IdleConns int               `json:"idle_connections"`
	LGCPU     int               `json:"lg_cpu"`
	SUTCPU    int               `json:"sut_cpu"`
}

func machineFacts(c config) Machine {
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	m := Machine{
		Date:      time.Now().UTC().Format("2006-01-02 15:04 MST"),
		CPUs:      strings.Count(string(cpuinfo), "\nprocessor") + btoi(strings.HasPrefix(string(cpuinfo), "processor")),
		CPUModel:  field(string(cpuinfo), "model name"),
		Kernel:    strings.TrimSpace(string(kernel)),
		GoVersion: runtime.Version(),
		Tools:     map[string]string{},
		Rounds:    c.rounds, Duration: c.duration.String(), VDuration: c.vduration.String(),
		Conns: c.conns, Threads: c.threads, Rates: c.rates, IdleConns: c.idle,
		LGCPU: c.lgCPU, SUTCPU: c.sutCPU,
	}
	m.Tools["wrk"] = firstLine(c.wrk, "-v")
	m.Tools["vegeta"] = moduleVersion(c.vegeta)
	m.Tools["nginx"] = firstLine("nginx", "-v")
	m.Tools["haproxy"] = firstLine("haproxy", "-v")
	return m
}

func field(text, key string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// firstLine is the first line a tool prints about its version; wrk -v
// exits non-zero, so only the output matters.
func firstLine(bin string, arg string) string {
	out, _ := exec.Command(bin, arg).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// moduleVersion names a Go binary's main module and version from its build
// information; vegeta installed with go install prints no version itself.
func moduleVersion(bin string) string {
	if p, err := exec.LookPath(bin); err == nil {
		bin = p
	}
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "unknown"
	}
	return bi.Main.Path + " " + bi.Main.Version
}
