package app_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

// A streaming OpenViking call mapped onto LightRAG's /query/stream by a
// rule of the operator's reaches the client through the gateway as
// server-sent events, line by line while LightRAG writes.
func TestStreamingTranslationThroughTheGateway(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{StreamGap: 5 * time.Millisecond}))
	c := testConfig(ov.URL(), lr.URL())
	c.Routing.Mode = "fallback"
	c.Translation.Rules = []translate.Rule{{Name: "chat-stream", Methods: []string{"POST"},
		Paths: []string{"/bot/v1/chat/stream"}, Path: "/query/stream", Stream: true,
		Request:  `{query: .body.message, mode: "mix", include_references: false}`,
		Response: `{event: "message", data: .body.response}`}}
	a := startApp(t, c)
	resp, err := http.Post("http://"+a.Addr()+"/bot/v1/chat/stream", "application/json", strings.NewReader(`{"message":"what do agents remember"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	events := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), `data: {"data":`) {
			events++
		}
	}
	if sc.Err() != nil || events < 3 {
		t.Fatalf("%d events, %v", events, sc.Err())
	}
}
