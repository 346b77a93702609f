package app

import "path/filepath"

// The latency baseline is kept beside the level state so a restart
// mid-incident still judges against it; signal.Baseline reads and writes
// the file, and the app only logs what went wrong.

func (a *App) baselinePath() string {
	return filepath.Join(a.cfg.Escalation.DataDir, "baseline.json")
}

func (a *App) loadBaseline() {
	if err := a.baseline.Load(a.baselinePath()); err != nil {
		a.log.Warn("ignoring unreadable latency baseline", "path", a.baselinePath(), "err", err)
	}
}

func (a *App) saveBaseline() {
	if a.baseline == nil {
		return
	}
	err := ensureDir(a.cfg.Escalation.DataDir)
	if err == nil {
		err = a.baseline.Save(a.baselinePath())
	}
	if err != nil {
		a.log.Warn("cannot save latency baseline", "err", err)
	}
}
