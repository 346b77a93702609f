package signal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestMetricsScrapeOpenViking(t *testing.T) {
	srv := startOpenViking(t, sim.OpenVikingOptions{APIKey: "k3y"})
	header := http.Header{sim.HeaderAPIKey: {"k3y"}}
	cpu, err := MetricsScrape(nil, srv.URL()+"/metrics", sim.MetricCPUPercent, nil, header)
	if err != nil {
		t.Fatal(err)
	}
	mem, _ := MetricsScrape(nil, srv.URL()+"/metrics", sim.MetricMemoryPercent, nil, header)
	ctx := context.Background()

	wantValid(t, cpu.Read(ctx, t0), 12) // the simulator's resting load
	setFault(t, srv, sim.Fault{CPUPercent: 95, MemoryPercent: 91.5})
	r := cpu.Read(ctx, t0)
	wantValid(t, r, 95)
	wantDetail(t, r, sim.MetricCPUPercent+" = 95")
	wantValid(t, mem.Read(ctx, t0), 91.5)

	noKey, _ := MetricsScrape(nil, srv.URL()+"/metrics", sim.MetricCPUPercent, nil, nil)
	wantInvalid(t, noKey.Read(ctx, t0), ErrUnreachable) // 401 without the key

	setFault(t, srv, sim.Fault{Down: true})
	wantInvalid(t, cpu.Read(ctx, t0), ErrUnreachable)
}

func TestMetricsScrapeLabels(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `# TYPE node_cpu gauge
node_cpu{cpu="0",mode="user"} 10
node_cpu{cpu="1",mode="user"} 77.5
# TYPE odd untyped
odd 3
# TYPE lat histogram
lat_bucket{le="+Inf"} 1
lat_sum 1
lat_count 1
`)
	}))
	defer srv.Close()
	read := func(name string, labels map[string]string) Reading {
		src, err := MetricsScrape(srv.Client(), srv.URL, name, labels, nil)
		if err != nil {
			t.Fatal(err)
		}
		return src.Read(context.Background(), t0)
	}
	r := read("node_cpu", map[string]string{"cpu": "1"})
	wantValid(t, r, 77.5)
	wantDetail(t, r, `cpu="1"`, `mode="user"`)
	wantValid(t, read("node_cpu", nil), 10) // first in the page
	wantValid(t, read("odd", nil), 3)
	wantInvalid(t, read("node_cpu", map[string]string{"cpu": "9"}), ErrNoData)
	wantInvalid(t, read("absent", nil), ErrNoData)
	wantInvalid(t, read("lat", nil), ErrNoData) // a histogram has no single value
}

func TestMetricsScrapeMalformedAndConfig(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "this is {not the text format\n")
	}))
	defer srv.Close()
	src, _ := MetricsScrape(nil, srv.URL, "x", nil, nil)
	wantInvalid(t, src.Read(context.Background(), t0), ErrMalformed)

	if _, err := MetricsScrape(nil, srv.URL, "", nil, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("empty name: err = %v", err)
	}
	if _, err := MetricsScrape(nil, "localhost/metrics", "x", nil, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("relative URL: err = %v", err)
	}
}
