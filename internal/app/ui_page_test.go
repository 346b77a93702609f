package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// The operations page in a real Chromium follows an outage live: L0, the
// level change within 2 s of the gateway's, the incident's timeline
// growing, and an acknowledgement made from the page recorded on the
// incident with the name given. Without a token its controls are disabled
// and say why. Its streams end when the gateway stops.
func TestOperationsPageFollowsAnOutage(t *testing.T) {
	ov, base, _ := uiGateway(t)
	p := openPage(t, base+"/ui/", 1280, 1600)
	p.waitFor("shows L0", `document.getElementById("level").textContent === "L0"`, 10*time.Second)
	p.waitFor("controls disabled without a token",
		`[...document.querySelectorAll("#controls button")].every(b => b.disabled)`, 5*time.Second)
	if why := p.text("controls-why"); !strings.Contains(why, "requires the admin token") {
		t.Fatalf("disabled controls say %q, want why (the admin token)", why)
	}
	p.wantNoConsoleErrors()
	p.screenshot("ui-normal")

	injected := time.Now()
	if err := ov.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	lvl := waitLevel(t, base, func(l string) bool { return l != "L0" })
	lag := p.waitFor("shows the gateway's new level", `document.getElementById("level").textContent !== "L0"`, 2*time.Second)
	t.Logf("outage injected -> gateway %s -> page shows %s: page %s behind the gateway, %s after the injection",
		lvl, p.text("level"), lag.Round(time.Millisecond), time.Since(injected).Round(time.Millisecond))

	p.run("enter the token", chromedp.SendKeys("#token", uiToken, chromedp.ByID), chromedp.Click(`#token-form button[type=submit]`, chromedp.ByQuery))
	p.waitFor("controls enabled with the token", `!document.querySelector("[data-call=pause]").disabled`, 5*time.Second)
	p.waitFor("the incident's timeline", `document.querySelectorAll("#timeline li").length > 0`, 5*time.Second)
	var first int
	p.eval(`document.querySelectorAll("#timeline li").length`, &first)
	if err := ov.SetFault(sim.Fault{}); err != nil { // the primary heals: health changes join the timeline
		t.Fatal(err)
	}
	p.waitFor("the timeline grows", `document.querySelectorAll("#timeline li").length > `+itoa(first), 10*time.Second)

	p.run("acknowledge from the page",
		chromedp.Click(`[data-call=ack]`, chromedp.ByQuery),
		chromedp.WaitVisible("#confirm-name", chromedp.ByID),
		chromedp.SendKeys("#confirm-name", "alice on the page", chromedp.ByID),
		chromedp.Click("#confirm-ok", chromedp.ByID))
	id := p.text("incident-id")
	waitAcked(t, base, id, "alice on the page")
	p.waitFor("the page shows who acknowledged", `document.getElementById("incident-summary").textContent.includes("acknowledged by alice on the page")`, 5*time.Second)
	p.screenshot("ui-outage")
	p.run("phone-sized", chromedp.EmulateViewport(390, 844))
	p.screenshot("ui-phone")
	p.wantNoConsoleErrors()
}

// waitLevel polls /status until the level satisfies ok, bounded by
// eventually, and returns it.
func waitLevel(t *testing.T, base string, ok func(string) bool) string {
	t.Helper()
	var lvl string
	eventually(t, "gateway level changes", func() bool {
		_, body := get(t, base+"/status")
		var doc map[string]any
		_ = json.Unmarshal([]byte(body), &doc)
		lvl, _ = field(doc, "escalation", "level").(string)
		return ok(lvl)
	})
	return lvl
}

// waitAcked polls the incident through the admin API until it names by.
func waitAcked(t *testing.T, base, id, by string) {
	t.Helper()
	if id == "" {
		t.Fatal("the page shows no incident id")
	}
	eventually(t, "incident "+id+" acknowledged by "+by, func() bool {
		req, _ := http.NewRequest("GET", base+"/admin/incidents/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+uiToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return bytes.Contains(body, []byte(`"acked_by": "`+by+`"`))
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
