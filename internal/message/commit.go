package message

import "fmt"

// Commit is the body of POST /api/v1/sessions/{id}/commit (CommitRequest
// of openviking/server/routers/sessions.py), with the bounds the server
// checks. A session's messages and its commits are checked in one place
// so the simulator and the journal refuse exactly what the server does.
type Commit struct {
	KeepRecentCount            int            `json:"keep_recent_count"`
	RetentionMode              *string        `json:"retention_mode"`
	KeepRecentTurnCount        *int           `json:"keep_recent_turn_count"`
	RetainedMessageTokenBudget *int           `json:"retained_message_token_budget"`
	MinRawTailSteps            *int           `json:"min_raw_tail_steps"`
	ExtractionMetadata         map[string]any `json:"extraction_metadata"`
}

// maxKeep bounds keep_recent_count and the turn counts (le=10_000).
const maxKeep = 10_000

// Validate applies CommitRequest's field bounds and its validator: the
// Turn retention fields need retention_mode "turn_budget".
func (c *Commit) Validate() error {
	switch {
	case c.KeepRecentCount < 0 || c.KeepRecentCount > maxKeep:
		return fmt.Errorf("%w: keep_recent_count must be between 0 and %d", ErrInvalid, maxKeep)
	case c.RetentionMode != nil && *c.RetentionMode != "turn_budget":
		return fmt.Errorf("%w: retention_mode must be 'turn_budget'", ErrInvalid)
	case outside(c.KeepRecentTurnCount, 0, maxKeep), outside(c.MinRawTailSteps, 0, maxKeep):
		return fmt.Errorf("%w: keep_recent_turn_count and min_raw_tail_steps must be between 0 and %d", ErrInvalid, maxKeep)
	case c.RetainedMessageTokenBudget != nil && *c.RetainedMessageTokenBudget < 1:
		return fmt.Errorf("%w: retained_message_token_budget must be at least 1", ErrInvalid)
	case c.RetentionMode == nil && (c.KeepRecentTurnCount != nil || c.RetainedMessageTokenBudget != nil || c.MinRawTailSteps != nil):
		return fmt.Errorf("%w: retention_mode='turn_budget' is required when Turn retention fields are set", ErrInvalid)
	}
	for k := range c.ExtractionMetadata {
		if k != "event" {
			return fmt.Errorf("%w: extraction_metadata.%s: Extra inputs are not permitted", ErrInvalid, k)
		}
	}
	return nil
}

func outside(v *int, lo, hi int) bool { return v != nil && (*v < lo || *v > hi) }
