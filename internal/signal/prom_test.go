package signal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fakePrometheus answers /api/v1/query with the body registered for the
// query it receives, and 400 with an API error otherwise.
func fakePrometheus(t *testing.T, answers map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body, ok := answers[r.URL.Query().Get("query")]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"status":"error","errorType":"bad_data","error":"parse error"}`)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func vector(value string) string {
	return `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"instance":"ov:1933","job":"ov"},"value":[1717243200.5,"` + value + `"]},` +
		`{"metric":{"instance":"ov:1934"},"value":[1717243200.5,"1"]}]}}`
}

func TestPromQuery(t *testing.T) {
	cpu := `100 * rate(process_cpu_seconds_total{job="ov"}[1m])`
	srv := fakePrometheus(t, map[string]string{
		cpu:      vector("93.5"),
		"scalar": `{"status":"success","data":{"resultType":"scalar","result":[1717243200,"42"]}}`,
		"empty":  `{"status":"success","data":{"resultType":"vector","result":[]}}`,
		"nan":    vector("NaN"),
		"matrix": `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
		"junk":   `not json`,
	})
	read := func(q string) Reading {
		src, err := PromQuery(srv.Client(), srv.URL+"/", q)
		if err != nil {
			t.Fatal(err)
		}
		return src.Read(context.Background(), t0)
	}
	r := read(cpu)
	wantValid(t, r, 93.5)
	wantDetail(t, r, `instance="ov:1933"`, "first of 2 series")
	wantValid(t, read("scalar"), 42)
	wantInvalid(t, read("empty"), ErrNoData)
	wantInvalid(t, read("nan"), ErrNoData)
	wantInvalid(t, read("matrix"), ErrMalformed)
	wantInvalid(t, read("junk"), ErrMalformed)
	r = read("up{")
	wantInvalid(t, r, ErrUnreachable)
	wantDetail(t, r, "bad_data", "parse error")
}

func TestPromQueryUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	src, _ := PromQuery(nil, srv.URL, "up")
	wantInvalid(t, src.Read(context.Background(), t0), ErrUnreachable)
}

func TestPromQueryTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	client := &http.Client{Timeout: 50 * time.Millisecond}
	src, _ := PromQuery(client, srv.URL, "up")
	r := src.Read(context.Background(), t0)
	wantInvalid(t, r, ErrUnreachable)
	if !errors.Is(r.Err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline", r.Err)
	}
}

func TestPromQueryConfig(t *testing.T) {
	for _, c := range []struct{ url, query string }{
		{"http://prom:9090", " "}, {"prom:9090", "up"}, {"ftp://prom", "up"}, {"", "up"},
	} {
		if _, err := PromQuery(nil, c.url, c.query); !errors.Is(err, ErrConfig) {
			t.Errorf("%q %q: err = %v, want ErrConfig", c.url, c.query, err)
		}
	}
}
