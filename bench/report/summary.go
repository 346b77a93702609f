package main

import (
	"math"
	"slices"
)

// Target names bench/run.sh gives; the checks and ratios refer to them.
const (
	direct   = "direct"
	nginx    = "nginx"
	bare     = "bare-reverseproxy"
	lbMain   = "lifeboat-primary"
	lbCache  = "lifeboat-cache-hit"
	lbBackup = "lifeboat-backup"
)

// Stat is a figure's median and range over the rounds.
type Stat struct {
	Median, Min, Max float64
	N                int
}

func stat(xs []float64) Stat {
	xs = slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	if len(xs) == 0 {
		return Stat{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	slices.Sort(xs)
	n := len(xs)
	med := xs[n/2]
	if n%2 == 0 {
		med = (xs[n/2-1] + xs[n/2]) / 2
	}
	return Stat{Median: med, Min: xs[0], Max: xs[n-1], N: n}
}

// Row is one target's summarised figures.
type Row struct {
	Name                    string
	RPS, VsDirect, VsNginx  Stat
	VsBare                  Stat
	Capacity                Stat // 1e6 / CPU us per request: req/s one full core would serve
	CapVsNginx, CapVsBare   Stat
	CPU, PeakMB             Stat
	P50, P99                map[int]Stat // absolute, per rate
	AddP50, AddP99          map[int]Stat // over direct, per rate
	IdleRSSMB, IdlePeakMB   Stat
	IdleOK                  Stat
	LGBusy, SUTBusy         Stat
	Share, Background       Stat
	Errors                  int
	AchievedMin, SuccessMin float64
}

// Table is every target's row, in the run's order.
type Table struct {
	Rates []int
	Rows  []*Row
	by    map[string]*Row
}

func (t *Table) row(name string) *Row { return t.by[name] }

func summarise(res Results) *Table {
	t := &Table{Rates: res.Machine.Rates, by: map[string]*Row{}}
	rounds := byRound(res.Samples)
	for _, name := range res.Targets {
		r := summariseTarget(name, rounds, t.Rates)
		t.Rows = append(t.Rows, r)
		t.by[name] = r
	}
	return t
}

// byRound indexes samples by round, then target.
func byRound(ss []Sample) []map[string]Sample {
	var out []map[string]Sample
	for _, s := range ss {
		for len(out) <= s.Round {
			out = append(out, map[string]Sample{})
		}
		out[s.Round][s.Target] = s
	}
	return out
}

// series collects one figure over the rounds where both the target and
// the reference it needs were measured.
type series map[string][]float64

func (s series) add(k string, v float64) { s[k] = append(s[k], v) }

func summariseTarget(name string, rounds []map[string]Sample, rates []int) *Row {
	r := &Row{Name: name, P50: map[int]Stat{}, P99: map[int]Stat{}, AddP50: map[int]Stat{}, AddP99: map[int]Stat{},
		AchievedMin: math.Inf(1), SuccessMin: 1}
	f := series{}
	for _, round := range rounds {
		s, ok := round[name]
		if !ok {
			continue
		}
		addSample(r, f, s, round, rates)
	}
	r.RPS, r.CPU, r.PeakMB = stat(f["rps"]), stat(f["cpu"]), stat(f["peak"])
	r.VsDirect, r.VsNginx, r.VsBare = stat(f["vsdirect"]), stat(f["vsnginx"]), stat(f["vsbare"])
	r.Capacity, r.CapVsNginx, r.CapVsBare = stat(f["cap"]), stat(f["capvsnginx"]), stat(f["capvsbare"])
	r.IdleRSSMB, r.IdlePeakMB, r.IdleOK = stat(f["idlerss"]), stat(f["idlepeak"]), stat(f["idleok"])
	r.LGBusy, r.SUTBusy = stat(f["lg"]), stat(f["sut"])
	r.Share, r.Background = stat(f["share"]), stat(f["bg"])
	for _, rate := range rates {
		r.P50[rate], r.P99[rate] = stat(f[key("p50", rate)]), stat(f[key("p99", rate)])
		r.AddP50[rate], r.AddP99[rate] = stat(f[key("add50", rate)]), stat(f[key("add99", rate)])
	}
	return r
}

func addSample(r *Row, f series, s Sample, round map[string]Sample, rates []int) {
	r.Errors += int(s.Wrk.Errors) + len(s.Errors)
	f.add("rps", s.Wrk.RPS)
	f.add("cpu", s.CPUUsPerReq)
	f.add("peak", float64(s.PeakRSSKB)/1024)
	f.add("idlerss", float64(s.Idle.RSSKB)/1024)
	f.add("idlepeak", float64(s.Idle.PeakKB)/1024)
	f.add("idleok", float64(s.Idle.OK))
	f.add("lg", s.LGBusy)
	f.add("sut", s.SUTBusy)
	f.add("share", s.TargetShare)
	f.add("bg", s.Background)
	for ref, k := range map[string]string{direct: "vsdirect", nginx: "vsnginx", bare: "vsbare"} {
		if o, ok := round[ref]; ok && o.Wrk.RPS > 0 {
			f.add(k, s.Wrk.RPS/o.Wrk.RPS)
		}
	}
	if s.CPUUsPerReq > 0 {
		f.add("cap", 1e6/s.CPUUsPerReq)
		for ref, k := range map[string]string{nginx: "capvsnginx", bare: "capvsbare"} {
			if o, ok := round[ref]; ok && o.CPUUsPerReq > 0 {
				f.add(k, o.CPUUsPerReq/s.CPUUsPerReq)
			}
		}
	}
	for _, rate := range rates {
		l, ok := s.latency(rate)
		if !ok {
			continue
		}
		r.AchievedMin = min(r.AchievedMin, l.Achieved/float64(rate))
		r.SuccessMin = min(r.SuccessMin, l.Success)
		f.add(key("p50", rate), l.P50)
		f.add(key("p99", rate), l.P99)
		if d, ok := round[direct].latency(rate); ok {
			f.add(key("add50", rate), l.P50-d.P50)
			f.add(key("add99", rate), l.P99-d.P99)
		}
	}
}

func key(fig string, rate int) string { return fig + "@" + itoa(rate) }
