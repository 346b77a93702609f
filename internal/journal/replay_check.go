package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// pview is what the primary holds for a session, as far as its lane
// knows: learnt by one GET, then tracked from the primary's answers.
type pview struct {
	exists bool
	count  int
	last   *Message
}

func (v pview) pre() pre { return pre{Count: v.count, Last: v.last} }

// view returns the session's view, asking the primary only the first time
// in this lane's run.
func (r *replayer) view(ctx context.Context, o *op) (pview, error) {
	if v, ok := r.views[o.rec.Session]; ok {
		return v, nil
	}
	return r.fetch(ctx, o)
}

// fetch asks the primary for the session, as the op's tenant.
func (r *replayer) fetch(ctx context.Context, o *op) (pview, error) {
	rp, err := r.p.do(ctx, o.rec.Tenant, http.MethodGet, sessionsPrefix+o.rec.Session, nil)
	if err != nil {
		return pview{}, err
	}
	v := pview{exists: rp.found()}
	if v.exists {
		var res struct {
			MessageCount int       `json:"message_count"`
			Messages     []Message `json:"messages"`
		}
		if err := json.Unmarshal(rp.result, &res); err != nil {
			return pview{}, fmt.Errorf("%w: reading session %s: %v", ErrPrimary, o.rec.Session, err)
		}
		v.count = res.MessageCount
		if n := len(res.Messages); n > 0 {
			v.last = &res.Messages[n-1]
		}
	}
	r.views[o.rec.Session] = v
	return v, nil
}

// messageLanded tells, after a crash between begin and done, whether the
// message reached the primary: exactly one more message, and it is ours.
func (r *replayer) messageLanded(ctx context.Context, o *op) (bool, error) {
	v, err := r.fetch(ctx, o)
	if err != nil || !v.exists || o.begun == nil {
		return false, err
	}
	m := Message{Role: o.rec.Role, Content: o.rec.Content}
	return v.count == o.begun.Count+1 && v.last != nil && *v.last == m, nil
}

// commitLanded tells, after a crash between begin and done, whether the
// commit reached the primary: it archived messages, so fewer are held.
func (r *replayer) commitLanded(ctx context.Context, o *op) (bool, error) {
	v, err := r.fetch(ctx, o)
	if err != nil || !v.exists || o.begun == nil {
		return false, err
	}
	return v.count < o.begun.Count, nil
}
