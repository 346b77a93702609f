package client

import (
	"context"
	"net/http"
	"time"
)

// The journal calls decide what becomes of a journal set aside at start
// because its writes were made for another primary. An APIError with
// StatusCode 404 means no such journal is held (or the journal is off);
// 400 names the invalid field, such as a missing path when several are held.

// HeldJournal is one journal waiting for a person.
type HeldJournal struct {
	Path     string    `json:"path"`
	Primary  string    `json:"primary"`
	Fallback string    `json:"fallback"`
	Since    time.Time `json:"since"`
	Incident string    `json:"incident,omitempty"`
	Pending  int       `json:"pending"`
}

// HeldJournals lists the journals waiting for a person.
func (c *Client) HeldJournals(ctx context.Context) ([]HeldJournal, error) {
	var out []HeldJournal
	err := c.call(ctx, http.MethodGet, "/admin/journal/held", nil, &out)
	return out, err
}

// ReplayHeld replays the held journal at path ("" for the only one) to the
// primary at to, and returns the replay's counts.
func (c *Client) ReplayHeld(ctx context.Context, path, to, by string) (map[string]any, error) {
	in := map[string]string{"to": to, "by": by}
	if path != "" {
		in["path"] = path
	}
	var out map[string]any
	err := c.call(ctx, http.MethodPost, "/admin/journal/held/replay", in, &out)
	return out, err
}

// DiscardHeld gives up the held journal at path ("" for the only one),
// recorded with who and why.
func (c *Client) DiscardHeld(ctx context.Context, path, by, reason string) (map[string]any, error) {
	in := map[string]string{"by": by, "reason": reason}
	if path != "" {
		in["path"] = path
	}
	var out map[string]any
	err := c.call(ctx, http.MethodPost, "/admin/journal/held/discard", in, &out)
	return out, err
}
