package drill

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/load"
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

// session is what the primary holds of one session. Messages is nil when
// the answer does not list them, and Count is then all there is to go by.
type session struct {
	Messages []message `json:"messages"`
	Count    int       `json:"message_count"`
}

type message struct {
	Content string `json:"content"`
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
		note += "; each holds exactly the acknowledged messages, in order"
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
		if !slices.Contains(s.Messages, message{Content: w.Content}) {
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
	var ordered []string // the acknowledged writes, as the session lists them
	for _, m := range s.Messages {
		switch {
		case seen[m.Content]:
			return fmt.Sprintf("%q is there twice", m.Content), extra
		case maybe[m.Content]:
			extra++
		case !acked[m.Content]:
			return fmt.Sprintf("%q is there but was never sent", m.Content), extra
		default:
			ordered = append(ordered, m.Content)
		}
		seen[m.Content] = true
	}
	for i, w := range writes {
		if i >= len(ordered) || ordered[i] != w.Content {
			return fmt.Sprintf("acknowledged write %d is not %q", i, w.Content), extra
		}
	}
	return "", extra
}

// readSession reads GET /api/v1/sessions/{id} from the primary. found is
// false for OpenViking's NOT_FOUND; an answer that is not OpenViking's
// envelope is an error.
func readSession(ctx context.Context, hc *http.Client, base string, h http.Header, id string) (session, bool, error) {
	var s session
	u := strings.TrimRight(base, "/") + "/api/v1/sessions/" + url.PathEscape(id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return s, false, err
	}
	if h != nil {
		req.Header = h.Clone()
	}
	resp, err := hc.Do(req)
	if err != nil {
		return s, false, err
	}
	defer resp.Body.Close()
	var env struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	switch err := json.Unmarshal(raw, &env); {
	case err != nil || (env.Status != "ok" && env.Status != "error"):
		return s, false, fmt.Errorf("GET %s answered %d without OpenViking's envelope", u, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return s, false, nil
	case env.Status != "ok":
		return s, false, fmt.Errorf("GET %s answered %d", u, resp.StatusCode)
	}
	return s, true, json.Unmarshal(env.Result, &s)
}
