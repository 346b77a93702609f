package app

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// The latency baseline is what "normal" looked like; it is kept beside the
// level state so a restart mid-incident still judges against it.

func (a *App) baselinePath() string {
	return filepath.Join(a.cfg.Escalation.DataDir, "baseline.json")
}

func (a *App) loadBaseline() {
	data, err := os.ReadFile(a.baselinePath())
	if err != nil {
		return
	}
	if err := json.Unmarshal(data, a.baseline); err != nil {
		a.log.Warn("ignoring unreadable latency baseline", "path", a.baselinePath(), "err", err)
	}
}

func (a *App) saveBaseline() {
	if a.baseline == nil {
		return
	}
	data, err := json.Marshal(a.baseline)
	if err == nil {
		err = ensureDir(a.cfg.Escalation.DataDir)
	}
	if err == nil {
		tmp := a.baselinePath() + ".tmp"
		if err = os.WriteFile(tmp, data, 0o600); err == nil {
			err = os.Rename(tmp, a.baselinePath())
		}
	}
	if err != nil {
		a.log.Warn("cannot save latency baseline", "err", err)
	}
}
