package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// Levels is the escalation engine as people drive it: see its state, set a
// level, force a rollback, step through a restore, pause automation. Every
// command names who asked; level.ErrState means "not possible now".
type Levels interface {
	Status(now time.Time) level.Status
	SetLevel(ctx context.Context, l level.Level, by string) error
	ForceRollback(ctx context.Context, by string) error
	StartRestore(ctx context.Context, by string) error
	AbortRestore(ctx context.Context, by string) error
	Ack(ctx context.Context, by string) error
	Pause(ctx context.Context, by string) error
	Resume(ctx context.Context, by string) error
}

// maxByLength bounds the "by" field, which ends up in every event.
const maxByLength = 200

// levelCommand is one of the engine's commands that take only "by".
type levelCommand func(l Levels, ctx context.Context, by string) error

func (a *API) levelRoutes() {
	a.handle("GET /admin/level", a.getLevel)
	a.handle("POST /admin/level", a.setLevel)
	a.handle("POST /admin/rollback", a.levelCall(Levels.ForceRollback))
	a.handle("POST /admin/restore/start", a.levelCall(Levels.StartRestore))
	a.handle("POST /admin/restore/abort", a.levelCall(Levels.AbortRestore))
	a.handle("POST /admin/restore/ack", a.levelCall(Levels.Ack))
	a.handle("POST /admin/automation/pause", a.levelCall(Levels.Pause))
	a.handle("POST /admin/automation/resume", a.levelCall(Levels.Resume))
}

// errEscalationOff answers every level call when no engine is configured.
var errEscalationOff = &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "escalation",
	msg: "is disabled: this gateway runs without the escalation engine"}

func (a *API) getLevel(*http.Request) (any, error) {
	if a.o.Levels == nil {
		return nil, errEscalationOff
	}
	return a.o.Levels.Status(time.Now()), nil
}

type setLevelRequest struct {
	Level *string `json:"level"`
	By    *string `json:"by"`
}

// setLevel forces a level: {"level": "L2", "by": "alice"}.
func (a *API) setLevel(r *http.Request) (any, error) {
	if a.o.Levels == nil {
		return nil, errEscalationOff
	}
	var in setLevelRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if in.Level == nil {
		return nil, bad("level", "is required (L0, L1, L2 or L3)")
	}
	l, err := level.ParseLevel(*in.Level)
	if err != nil {
		return nil, bad("level", "must be L0, L1, L2 or L3, got %q", *in.Level)
	}
	by, err := byOf(r, in.By)
	if err != nil {
		return nil, err
	}
	return a.runLevel(r, func(ctx context.Context) error { return a.o.Levels.SetLevel(ctx, l, by) })
}

type byRequest struct {
	By *string `json:"by"`
}

// levelCall serves a command whose only input is the optional "by".
func (a *API) levelCall(cmd levelCommand) handlerFunc {
	return func(r *http.Request) (any, error) {
		if a.o.Levels == nil {
			return nil, errEscalationOff
		}
		var in byRequest
		if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
			return nil, err
		}
		by, err := byOf(r, in.By)
		if err != nil {
			return nil, err
		}
		return a.runLevel(r, func(ctx context.Context) error { return cmd(a.o.Levels, ctx, by) })
	}
}

// runLevel runs a command and returns the engine's new status. The command
// outlives a client that hangs up: abandoning a rollback halfway, after
// traffic moved but before it was verified, would leave the worst state.
// LevelTimeout bounds it instead.
func (a *API) runLevel(r *http.Request, cmd func(ctx context.Context) error) (any, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), a.o.LevelTimeout)
	defer cancel()
	if err := cmd(ctx); err != nil {
		return nil, a.levelErr(err)
	}
	return a.o.Levels.Status(time.Now()), nil
}

// levelErr maps the engine's errors to HTTP answers.
func (a *API) levelErr(err error) error {
	switch {
	case errors.Is(err, level.ErrState):
		st := a.o.Levels.Status(time.Now())
		return &callError{status: http.StatusConflict, code: "FAILED_PRECONDITION", field: "state",
			msg: fmt.Sprintf("%v (now %s, phase %s)", err, st.Level, st.Phase)}
	case errors.Is(err, context.DeadlineExceeded):
		return &callError{status: http.StatusServiceUnavailable, code: "UNAVAILABLE", field: "level",
			msg: fmt.Sprintf("the engine stayed busy for %s; the command was not applied, try again", a.o.LevelTimeout)}
	}
	return err
}

// byOf returns who asked: the caller's name, or the API and its address.
func byOf(r *http.Request, by *string) (string, error) {
	if by == nil {
		return "admin api (" + r.RemoteAddr + ")", nil
	}
	switch s := *by; {
	case strings.TrimSpace(s) == "":
		return "", bad("by", "must not be blank; leave it out to name the admin API")
	case len(s) > maxByLength:
		return "", bad("by", "must be at most %d bytes, got %d", maxByLength, len(s))
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", bad("by", "must not contain control characters")
	default:
		return s, nil
	}
}
