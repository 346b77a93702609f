package drill

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/load"
	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// readers bounds the concurrent session reads of the data-loss check.
const readers = 8

// lossCheck is the data-loss check's outcome: how many acknowledged
// writes the primary does not hold.
type lossCheck struct {
	lost, total int
	measured    bool
	note        string
}

func (c lossCheck) metric() incident.Metric {
	m := incident.Metric{Name: "data_loss", Unit: incident.UnitRatio, Target: "< 1%", Limit: targetDataLoss, Note: c.note}
	if !c.measured {
		m.Text, m.Status = incident.StatusUnmeasured, incident.StatusUnmeasured
		return m
	}
	if c.total > 0 {
		m.Value = float64(c.lost) / float64(c.total)
	}
	m.Measured, m.Pass = true, m.Value < targetDataLoss
	m.Text = fmt.Sprintf("%.2f%% (%d of %d)", 100*m.Value, c.lost, c.total)
	m.Status = passStatus(m.Pass)
	return m
}

// session is what the primary holds of one session: its count, from
// GET /api/v1/sessions/{id}, and its messages, from the session's context
// (the real server lists messages only there). Messages is nil when the
// context cannot be read, and Count is then all there is to go by.
type session struct {
	Messages []message.Message `json:"messages"`
	Count    int               `json:"message_count"`
}

// checkWrites reads every session the load wrote to back from the
// primary, and counts the acknowledged writes it does not hold. A primary
// that does not speak OpenViking's sessions API leaves it unmeasured.
func checkWrites(ctx context.Context, hc *http.Client, primary string, h http.Header, acked, unacked []load.Write) lossCheck {
	if len(acked) == 0 {
		return lossCheck{note: "no session write was acknowledged"}
	}
	if _, found, err := readSession(ctx, hc, primary, h, loadSession); err != nil || !found {
		why := "the drill's session is not there"
		if err != nil {
			why = err.Error()
		}
		return lossCheck{note: fmt.Sprintf("the primary at %s has no usable sessions API: %s", primary, why)}
	}
	bySession := map[string][]load.Write{}
	for _, w := range acked {
		bySession[w.SessionID] = append(bySession[w.SessionID], w)
	}
	maybe := make(map[string]bool, len(unacked))
	for _, w := range unacked {
		maybe[w.Content] = true
	}
	return compare(ctx, hc, primary, h, bySession, maybe, len(acked))
}

// compare reads the sessions concurrently and counts what is missing.
func compare(ctx context.Context, hc *http.Client, primary string, h http.Header, by map[string][]load.Write, maybe map[string]bool, total int) lossCheck {
	var mu sync.Mutex
	lost, inexact, landed, example := 0, 0, 0, ""
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readers)
	for id, writes := range by {
		g.Go(func() error {
			s, found, err := readSession(gctx, hc, primary, h, id)
			if err != nil {
				return err
			}
			mu.Lock()
			lost += missing(s, found, writes)
			d, extra := mismatch(s, writes, maybe)
			if found && d != "" {
				inexact++
				example = "session " + id + ": " + d
			}
			landed += extra
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return lossCheck{note: "cannot read the sessions back: " + err.Error()}
	}
	note := fmt.Sprintf("%d acknowledged writes in %d sessions read back from %s", total, len(by), primary)
	if landed > 0 {
		note += fmt.Sprintf("; %d writes the client got no acknowledgement for are there too (once each)", landed)
	}
	switch {
	case inexact > 0:
		note += fmt.Sprintf("; %d sessions hold other messages than those acknowledged, e.g. %s", inexact, example)
	case lost == 0:
		note += "; each holds exactly the acknowledged messages, in order, every field as sent"
	}
	return lossCheck{lost: lost, total: total, measured: true, note: note}
}

// missing counts the writes a session lacks: by content when the answer
// lists messages, else by how many it holds.
func missing(s session, found bool, writes []load.Write) int {
	switch {
	case !found:
		return len(writes)
	case s.Messages == nil:
		return max(0, len(writes)-s.Count)
	}
	n := 0
	for _, w := range writes {
		if !slices.ContainsFunc(s.Messages, func(m message.Message) bool { return m.Text() == w.Content }) {
			n++
		}
	}
	return n
}

// mismatch says how a session differs from exactly the acknowledged
// writes, in the order they were made, and nothing else; "" when it does
// not. A write in maybe was sent without an acknowledgement: the server
// may have taken it, once; extra counts those found. An answer without
// messages can only be judged by its count.
func mismatch(s session, writes []load.Write, maybe map[string]bool) (diff string, extra int) {
	if s.Messages == nil {
		if s.Count < len(writes) {
			return fmt.Sprintf("%d messages for %d acknowledged", s.Count, len(writes)), 0
		}
		return "", s.Count - len(writes)
	}
	acked := make(map[string]bool, len(writes))
	for _, w := range writes {
		acked[w.Content] = true
	}
	seen := make(map[string]bool, len(s.Messages))
	var ordered []message.Message // the acknowledged writes, as the session lists them
	for _, m := range s.Messages {
		text := m.Text()
		switch {
		case seen[text]:
			return fmt.Sprintf("%q is there twice", text), extra
		case maybe[text]:
			extra++
		case !acked[text]:
			return fmt.Sprintf("%q is there but was never sent", text), extra
		default:
			ordered = append(ordered, m)
		}
		seen[text] = true
	}
	for i, w := range writes {
		if i >= len(ordered) || ordered[i].Text() != w.Content {
			return fmt.Sprintf("acknowledged write %d is not %q", i, w.Content), extra
		}
		if d := fieldDiff(w.Message, ordered[i]); d != "" {
			return fmt.Sprintf("acknowledged write %d (%q) %s", i, w.Content, d), extra
		}
	}
	return "", extra
}

// fieldDiff compares every field a message was sent with to the field
// the primary lists; "" when all are kept. A write without its message
// (an older load's) is judged by its text alone.
func fieldDiff(sent json.RawMessage, got message.Message) string {
	if len(sent) == 0 {
		return ""
	}
	var want, have map[string]any
	raw, _ := json.Marshal(got) // a decoded message always encodes
	if json.Unmarshal(sent, &want) != nil || json.Unmarshal(raw, &have) != nil {
		return "cannot be compared field by field"
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !reflect.DeepEqual(want[k], have[k]) {
			return fmt.Sprintf("has %s = %v, sent %v", k, have[k], want[k])
		}
	}
	return ""
}

// contextBudget asks the context for every live message: far more tokens
// than any drill writes.
const contextBudget = 1 << 30

// readSession reads GET /api/v1/sessions/{id} from the primary for its
// count and the session's context for its messages. found is false for
// OpenViking's NOT_FOUND; an answer that is not OpenViking's envelope is
// an error.
func readSession(ctx context.Context, hc *http.Client, base string, h http.Header, id string) (session, bool, error) {
	var s session
	u := strings.TrimRight(base, "/") + "/api/v1/sessions/" + url.PathEscape(id)
	found, err := readResult(ctx, hc, u, h, &s)
	if err != nil || !found {
		return s, found, err
	}
	var c struct {
		Messages []message.Message `json:"messages"`
	}
	if ok, err := readResult(ctx, hc, u+"/context?token_budget="+strconv.Itoa(contextBudget), h, &c); err == nil && ok {
		s.Messages = c.Messages
	}
	return s, true, nil
}

// readResult GETs u and decodes the envelope's result into v. found is
// false for NOT_FOUND.
func readResult(ctx context.Context, hc *http.Client, u string, h http.Header, v any) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, err
	}
	if h != nil {
		req.Header = h.Clone()
	}
	resp, err := hc.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var env struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	switch err := json.Unmarshal(raw, &env); {
	case err != nil || (env.Status != "ok" && env.Status != "error"):
		return false, fmt.Errorf("GET %s answered %d without OpenViking's envelope", u, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return false, nil
	case env.Status != "ok":
		return false, fmt.Errorf("GET %s answered %d", u, resp.StatusCode)
	}
	return true, json.Unmarshal(env.Result, v)
}
