package client

import (
	"context"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// The escalation calls. Each command names who asked: an empty by lets the
// gateway name the admin API and the caller's address. Each returns the
// engine's status after the command. An APIError with StatusCode 409
// (FAILED_PRECONDITION) means the command is not possible in the current
// state; 404 means the gateway runs without escalation.

// byBody is the body of every command; an empty By is left out.
type byBody struct {
	By string `json:"by,omitempty"`
}

// Level returns the escalation engine's status.
func (c *Client) Level(ctx context.Context) (level.Status, error) {
	var st level.Status
	err := c.call(ctx, http.MethodGet, "/admin/level", nil, &st)
	return st, err
}

// SetLevel forces a level; L3 goes through the verified rollback and L0
// ends the incident.
func (c *Client) SetLevel(ctx context.Context, l level.Level, by string) (level.Status, error) {
	in := struct {
		Level string `json:"level"`
		By    string `json:"by,omitempty"`
	}{l.String(), by}
	return c.levelCommand(ctx, "/admin/level", in)
}

// Rollback forces Level 3: verify the fallback, then move all traffic to it.
func (c *Client) Rollback(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/rollback", byBody{by})
}

// RestoreStart starts stepping traffic back to a healthy primary now,
// skipping the hold-down and the acknowledgement.
func (c *Client) RestoreStart(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/restore/start", byBody{by})
}

// RestoreAbort sends traffic back to the fallback during a restore.
func (c *Client) RestoreAbort(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/restore/abort", byBody{by})
}

// RestoreAck approves the restore when the gateway requires a person to.
func (c *Client) RestoreAck(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/restore/ack", byBody{by})
}

// Pause stops automation; the engine keeps evaluating and reporting.
func (c *Client) Pause(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/automation/pause", byBody{by})
}

// Resume restarts automation.
func (c *Client) Resume(ctx context.Context, by string) (level.Status, error) {
	return c.levelCommand(ctx, "/admin/automation/resume", byBody{by})
}

func (c *Client) levelCommand(ctx context.Context, path string, in any) (level.Status, error) {
	var st level.Status
	err := c.call(ctx, http.MethodPost, path, in, &st)
	return st, err
}
