package client

import (
	"context"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// The fault calls drive the gateway's fault injection toward the primary,
// for drills. An APIError with StatusCode 400 names the invalid field; 404
// means the gateway runs without fault injection.

// Faults returns the fault in force, if any, and its remaining time.
func (c *Client) Faults(ctx context.Context) (fault.Status, error) {
	var st fault.Status
	err := c.call(ctx, http.MethodGet, "/admin/faults", nil, &st)
	return st, err
}

// SetFault injects f toward the primary for f.DurationMS (required),
// replacing the fault in force. An empty by lets the gateway name the
// admin API and the caller's address.
func (c *Client) SetFault(ctx context.Context, f fault.Fault, by string) (fault.Status, error) {
	in := struct {
		fault.Fault
		By string `json:"by,omitempty"`
	}{f, by}
	var st fault.Status
	err := c.call(ctx, http.MethodPost, "/admin/faults", in, &st)
	return st, err
}

// ClearFault ends the fault in force, if any, and returns the state after.
func (c *Client) ClearFault(ctx context.Context, by string) (fault.Status, error) {
	var st fault.Status
	err := c.call(ctx, http.MethodDelete, "/admin/faults", byBody{by}, &st)
	return st, err
}
