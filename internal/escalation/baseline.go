package escalation

import (
	"path/filepath"
	"time"
)

// The latency baseline is kept beside the level state so a restart
// mid-incident still judges against it; signal.Baseline reads and writes
// the file, and the escalation only logs what went wrong.

func (e *Escalation) baselinePath() string {
	return filepath.Join(e.cfg.Escalation.DataDir, "baseline.json")
}

func (e *Escalation) loadBaseline() {
	if err := e.baseline.Load(e.baselinePath()); err != nil {
		e.d.Log.Warn("ignoring unreadable latency baseline", "path", e.baselinePath(), "err", err)
	}
}

func (e *Escalation) saveBaseline() {
	if e.baseline == nil {
		return
	}
	err := EnsureDataDir(e.cfg.Escalation.DataDir)
	if err == nil {
		err = e.baseline.Save(e.baselinePath())
	}
	if err != nil {
		e.d.Log.Warn("cannot save latency baseline", "err", err)
	}
}

// learn feeds the latency baseline at Level 0 and persists it now and
// then, so a restart does not forget what normal looks like.
func (e *Escalation) learn(now time.Time) {
	e.baseline.Learn(now)
	if now.Sub(e.baselineSaved) >= time.Minute {
		e.saveBaseline()
		e.baselineSaved = now
	}
}
