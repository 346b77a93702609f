package journal

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// baseFor is what the gateway last saw of session id when a write arrives
// for a session the journal does not hold; nil means nothing. A session
// already held needs none: its first op brought its base, or it had none.
func (j *Journal) baseFor(q *request, id string) *Base {
	if j.seen == nil || j.holds(q.key(id)) {
		return nil
	}
	b, ok := j.seen.get(q.tenant(), id)
	if !ok {
		return nil
	}
	return b
}

// readable is the session a read of id is answered from: the held one,
// or, for a session the journal does not hold, what the primary last
// reported of it (a copy, never stored). Neither is (nil, onPrimary).
func (j *Journal) readable(q *request, id string) (*session, error) {
	j.mu.RLock()
	s, err := j.st.visible(q.key(id))
	var held session
	if s != nil {
		held = *s
	}
	j.mu.RUnlock()
	switch {
	case err != nil:
		return nil, err
	case s != nil:
		return &held, nil
	}
	b, ok := j.seen.get(q.tenant(), id)
	if !ok {
		return nil, onPrimary(id)
	}
	c := &session{id: id, tenant: q.tenant(), user: q.user()}
	c.adopt(b)
	return c, nil
}

// view answers GET /api/v1/sessions/{id}: the primary's last answer, when
// seen, with the counts the journal carried on. A session known nowhere
// is created, as the primary would, when the client asks auto_create.
func (j *Journal) view(q *request, id string) (map[string]any, error) {
	s, err := j.readable(q, id)
	if errors.Is(err, ErrUnavailable) && q.queryValue("auto_create") == "true" {
		cq := q.as(http.MethodPost, sessionsPath, "", mustJSON(map[string]string{"session_id": id}))
		if _, _, err = j.create(cq); err == nil {
			s, err = j.readable(q, id)
		}
	}
	if err != nil {
		return nil, err
	}
	res := metaOf(s, q)
	res["journal"] = viewJournal{Complete: s.complete(), Base: baseName(s)}
	return res, nil
}

// context answers GET /api/v1/sessions/{id}/context: the live messages
// the journal can list, newest kept within the budget. journal.complete
// is false when some live messages are not known to it.
func (j *Journal) context(q *request, id string) (map[string]any, error) {
	budget := 128_000
	if v := q.queryValue("token_budget"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, invalid("token_budget must be greater than or equal to 0")
		}
		budget = n
	}
	s, err := j.readable(q, id)
	if err != nil {
		return nil, err
	}
	msgs, tokens := fitBudget(s.messages, budget)
	return map[string]any{
		"latest_archive_overview": "", "pre_archive_abstracts": []any{}, "messages": msgs, "estimatedTokens": tokens,
		"stats": map[string]int{"totalArchives": s.commits, "includedArchives": 0, "droppedArchives": s.commits,
			"failedArchives": 0, "activeTokens": tokens, "archiveTokens": 0},
		"journal": viewJournal{Complete: len(s.messages) == s.count && (s.complete() || s.listed), Base: baseName(s)},
	}, nil
}

// fitBudget keeps the newest messages whose tokens fit budget.
func fitBudget(ms []message.Message, budget int) ([]message.Message, int) {
	used, i := 0, len(ms)
	for i > 0 && used+ms[i-1].Tokens() <= budget {
		used += ms[i-1].Tokens()
		i--
	}
	out := slices.Clone(ms[i:])
	if out == nil {
		out = []message.Message{}
	}
	return out, used
}

// queryValue reads one query parameter of the kept request.
func (q *request) queryValue(key string) string {
	vals, _ := url.ParseQuery(q.Query) // a query that does not parse has no values
	return vals.Get(key)
}
