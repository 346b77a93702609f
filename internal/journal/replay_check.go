package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// pview is what the primary holds for a session, as far as its lane
// knows: learnt by one GET, then tracked from the primary's answers.
type pview struct {
	exists bool
	count  int
}

// view returns the session's view, asking the primary only the first time
// in this lane's run.
func (r *replayer) view(ctx context.Context, o *op) (pview, error) {
	if v, ok := r.views[o.rec.Session]; ok {
		return v, nil
	}
	return r.fetch(ctx, o)
}

// fetch asks the primary for the session, as the op's caller.
func (r *replayer) fetch(ctx context.Context, o *op) (pview, error) {
	rp, err := r.p.do(ctx, o.rec.Req.as(http.MethodGet, sessionsPrefix+o.rec.Session, "", nil))
	if err != nil {
		return pview{}, err
	}
	v := pview{exists: rp.found()}
	if v.exists {
		var res struct {
			MessageCount int `json:"message_count"`
		}
		if err := json.Unmarshal(rp.result, &res); err != nil {
			return pview{}, fmt.Errorf("%w: reading session %s: %v", ErrPrimary, o.rec.Session, err)
		}
		v.count = res.MessageCount
	}
	r.views[o.rec.Session] = v
	return v, nil
}

// messagesLanded tells, after a crash between begin and done, whether the
// op's messages reached the primary: its session context lists the op's
// last message, known by the created_at the journal stamped on it and its
// text. The count alone would be fooled by another client's write.
func (r *replayer) messagesLanded(ctx context.Context, o *op) (bool, error) {
	v, err := r.fetch(ctx, o)
	if err != nil || !v.exists || o.begun == nil || v.count <= o.begun.Count {
		return false, err
	}
	last, ok := lastMessage(o.rec)
	if !ok {
		return false, nil
	}
	rp, err := r.p.do(ctx, o.rec.Req.as(http.MethodGet, sessionsPrefix+o.rec.Session+"/context", "", nil))
	if err != nil || !rp.found() {
		return false, err
	}
	var res struct {
		Messages []message.Message `json:"messages"`
	}
	if json.Unmarshal(rp.result, &res) != nil {
		return false, nil
	}
	for _, m := range res.Messages {
		if m.CreatedAt == last.CreatedAt && m.Role == last.Role && m.Text() == last.Text() {
			return true, nil
		}
	}
	return false, nil
}

// lastMessage is the last message an op adds, as the primary lists it.
func lastMessage(rec *record) (message.Message, bool) {
	reqs, err := messagesOf(rec)
	if err != nil || len(reqs) == 0 {
		return message.Message{}, false
	}
	return reqs[len(reqs)-1].Message("", ""), true
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
