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
func checkWrites(ctx context.Context, hc *http.Client, primary string, h http.Header, acked []load.Write) lossCheck {
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
	return compare(ctx, hc, primary, h, bySession, len(acked))
}

// compare reads the sessions concurrently and counts what is missing.
func compare(ctx context.Context, hc *http.Client, primary string, h http.Header, by map[string][]load.Write, total int) lossCheck {
	var mu sync.Mutex
	lost, inexact := 0, 0
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
			if found && !exact(s, writes) {
				inexact++
			}
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return lossCheck{note: "cannot read the sessions back: " + err.Error()}
	}
	note := fmt.Sprintf("%d acknowledged writes in %d sessions read back from %s", total, len(by), primary)
	switch {
	case inexact > 0:
		note += fmt.Sprintf("; %d sessions hold other messages than those acknowledged (duplicated, reordered or unacknowledged)", inexact)
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

// exact reports whether a session lists exactly the acknowledged writes,
// in the order they were made, and nothing else. An answer without
// messages cannot tell, and counts as exact when its count matches.
func exact(s session, writes []load.Write) bool {
	if s.Messages == nil {
		return s.Count == len(writes)
	}
	if len(s.Messages) != len(writes) {
		return false
	}
	for i, w := range writes {
		if s.Messages[i].Content != w.Content {
			return false
		}
	}
	return true
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
