package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/testtool"
)

// BenchmarkGatewayThroughput measures what one replica proxies, single
// process against one of three replicas in cluster mode on a real etcd
// (its traffic published every second, the decider merging the others'):
// cluster mode's work is off the request path, so the two should agree
// within noise. Run with -benchtime=20000x -count=5 and compare the req/s
// figures; the client, the gateway and the backend share the CPUs.
func BenchmarkGatewayThroughput(b *testing.B) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok","result":{"session_id":"bench","messages":[],"created_at":"2026-12-06"}}`)
	}))
	b.Cleanup(backend.Close)
	fallback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"status":"healthy"}`)
	}))
	b.Cleanup(fallback.Close)
	base := func() config.Config {
		c := testConfig(backend.URL, fallback.URL)
		c.Routing.Mode = "primary"
		c.Cache.Enabled = false
		c.Escalation.DataDir = b.TempDir()
		return c
	}
	b.Run("single", func(b *testing.B) { proxyLoad(b, testtool.StartApp(b, base()).Addr()) })
	b.Run("cluster-of-3", func(b *testing.B) {
		e, err := etcdtest.Start(b.TempDir(), etcdtest.Options{Fsync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(e.Close)
		var addrs []string
		for i := range 3 {
			c := base()
			c.Escalation.DataDir = b.TempDir()
			c.Cluster = cluster.Settings{Etcd: cluster.Etcd{Endpoints: e.Endpoints()}, Name: fmt.Sprintf("r%d", i), Prefix: "/bench/"}
			addrs = append(addrs, testtool.StartApp(b, c).Addr())
		}
		time.Sleep(2 * time.Second) // the election settles and publishing starts
		proxyLoad(b, addrs[0])
	})
}

// proxyLoad sends GETs through the gateway at addr from parallel clients
// and reports requests per second.
func proxyLoad(b *testing.B, addr string) {
	url := "http://" + addr + "/api/v1/sessions/bench"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}
	b.Cleanup(client.CloseIdleConnections)
	b.SetParallelism(8)
	b.ResetTimer() // the replicas' start and the election are not the load
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
