package app

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// outageBase hands the journal what the primary last said about a session
// it is about to take, from the cache's outage copy of GET
// /api/v1/sessions/{id} for the same caller: answers during the outage then
// include the session's earlier messages and counts, instead of starting
// from nothing. No copy (never read, another tenant, expired) means none.
func (a *App) outageBase(r *http.Request, id string) (journal.Base, bool) {
	c := a.gateway.CacheStore()
	get := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/v1/sessions/" + id}, Header: r.Header}
	creq := cache.Request{HTTP: get, OutageCopy: true}
	k, ok := c.Key(creq)
	if !ok {
		return journal.Base{}, false
	}
	e, ok := c.Peek(k, creq)
	if !ok || e.Header.Get("Content-Encoding") != "" {
		return journal.Base{}, false
	}
	var env struct {
		Status string       `json:"status"`
		Result journal.Base `json:"result"` // Base has OpenViking's field names
	}
	if json.Unmarshal(e.Body, &env) != nil || env.Status != "ok" || env.Result.Messages == nil {
		return journal.Base{}, false
	}
	return env.Result, true
}
