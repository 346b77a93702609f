package app_test

import (
	"context"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// bootRig is a gateway started before its primary, the normal order in a
// compose file: the primary's address is reserved but nothing listens on
// it yet. Its Level 3 action would stop the primary, as the plan's does;
// here it leaves a mark in a file.
type bootRig struct {
	*rig
	primaryAddr string
	stopped     string
}

func newBootRig(t *testing.T, startPeriod time.Duration) *bootRig {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	mark := filepath.Join(t.TempDir(), "primary-stopped")
	c := testConfig("http://"+addr, lr.URL())
	c.Escalation.Enabled = true
	c.Escalation.DataDir = t.TempDir()
	c.Escalation.StartPeriod = startPeriod
	c.Escalation.Actions.L3 = []action.Spec{{Name: "stop_openviking", Type: "command", Command: []string{"touch", mark}}}
	r := &rig{t: t, lr: lr, cfg: c}
	r.a = startManual(t, c)
	r.base = "http://" + r.a.Addr()
	r.waitStates("down", "up")
	return &bootRig{rig: r, primaryAddr: addr, stopped: mark}
}

// noIncident asserts that nothing of an incident happened: the level is
// L0, no trigger fired, no action ran and no incident opened.
func (b *bootRig) noIncident(st level.Status) {
	b.t.Helper()
	if st.Level != level.L0 || len(b.events(level.KindTriggerFired)) > 0 || len(b.events(level.KindAction)) > 0 {
		b.t.Fatalf("level %s, fired %d, actions %d; want L0 and nothing fired or run:\n%v",
			st.Level, len(b.events(level.KindTriggerFired)), len(b.events(level.KindAction)), b.levelPath())
	}
	if _, err := os.Stat(b.stopped); err == nil {
		b.t.Fatal("the Level 3 action stopped the primary while it was starting")
	}
	rec, _ := b.a.Incidents()
	if id, ok := rec.Current(); ok {
		b.t.Fatalf("incident %s opened at boot", id)
	}
}

// The incident: the gateway starts, the primary 3 s later; its "unknown ->
// down" counted as failed checks and Level 3 stopped it while it started.
// With the start period, traffic goes around the starting primary and
// nothing else happens; once the primary is up, the gateway serves it.
func TestBootBeforeThePrimaryRollsNothingBack(t *testing.T) {
	b := newBootRig(t, 40*time.Second)
	t0 := time.Now()
	b.noIncident(b.step(t0))
	if code, _ := post(t, b.base+"/api/v1/search/find", `{"query":"context database"}`); code != 200 {
		t.Fatalf("a search while the primary starts: %d, want 200 from the fallback", code)
	}
	b.noIncident(b.step(t0.Add(3 * time.Second)))
	primary, _ := startProcess(t, "sim openviking --listen "+b.primaryAddr, `listening on (http://\S+)`)
	if !strings.HasSuffix(primary, b.primaryAddr) {
		t.Fatalf("primary listens on %s, want %s", primary, b.primaryAddr)
	}
	b.waitStates("up", "up")
	st := b.step(t0.Add(4 * time.Second))
	b.noIncident(st)
	if st.Next == "" || strings.HasPrefix(st.Next, "start period") {
		t.Fatalf("start period still on with the primary up: %q", st.Next)
	}
	b.noIncident(b.step(t0.Add(time.Minute)))
}

// A primary that never comes up is an outage once the start period is
// over: Level 3 with the health trigger as its evidence.
func TestPrimaryThatNeverStartsIsAnOutageAfterTheStartPeriod(t *testing.T) {
	b := newBootRig(t, 40*time.Second)
	t0 := time.Now()
	b.noIncident(b.step(t0))
	b.noIncident(b.step(t0.Add(39 * time.Second)))
	st := b.step(t0.Add(40 * time.Second))
	b.rolledBack(st, "health_checks", "L0->L3")
	if _, err := os.Stat(b.stopped); err != nil {
		t.Fatalf("the Level 3 action did not run: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rec, _ := b.a.Incidents()
	if err := rec.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := rec.Current(); !ok {
		t.Fatal("no incident opened for the primary that never started")
	}
	ownerOnly(t, b.cfg.Escalation.DataDir)
}

// ownerOnly asserts that the incident's preserved configuration exists and
// that everything under dir is for its owner alone: directories 0700,
// files 0600 (the database, its WAL files, the configuration).
func ownerOnly(t *testing.T, dir string) {
	t.Helper()
	eventually(t, "the effective configuration preserved", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "artifacts", "*", "effective-config.yaml"))
		return len(m) == 1
	})
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s is %o, want %o", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
