package signal

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// MetricsScrapeSource reads one sample from a Prometheus text endpoint.
// See MetricsScrape.
type MetricsScrapeSource struct {
	call   httpCall
	name   string
	labels map[string]string
}

// MetricsScrape reads the sample of metricName whose labels include every
// pair of labels (nil matches any) from the Prometheus text exposition at
// metricsURL, such as OpenViking's /metrics and its
// openviking_cpu_usage_percent gauge. Gauges, counters and untyped samples
// are read; when several samples match, the first in the page wins, so
// give labels that single one out. A missing sample or NaN is invalid
// (ErrNoData). header carries credentials (OpenViking's /metrics wants its
// API key); timeouts are as for PromQuery.
func MetricsScrape(client *http.Client, metricsURL, metricName string, labels map[string]string, header http.Header) (*MetricsScrapeSource, error) {
	if !model.UTF8Validation.IsValidMetricName(metricName) {
		return nil, fmt.Errorf("%w: invalid metric name %q", ErrConfig, metricName)
	}
	if header == nil {
		header = make(http.Header)
	}
	header = header.Clone()
	header.Set("Accept", "text/plain;version=0.0.4")
	call, err := newHTTPCall(client, http.MethodGet, metricsURL, nil, header)
	if err != nil {
		return nil, err
	}
	return &MetricsScrapeSource{call: call, name: metricName, labels: labels}, nil
}

// Read implements Source.
func (s *MetricsScrapeSource) Read(ctx context.Context, _ time.Time) Reading {
	status, body, err := s.call.do(ctx)
	if err == nil {
		err = expectOK(status, s.call.url)
	}
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v, labels, err := s.find(body)
	if err != nil {
		return invalid(UnitPercent, err)
	}
	detail := fmt.Sprintf("%s%s = %g (scraped %s)", s.name, labels, v, s.call.url)
	return Reading{Value: v, Valid: true, Unit: UnitPercent, Detail: detail}
}

// find parses the page and returns the first matching sample.
func (s *MetricsScrapeSource) find(body []byte) (float64, string, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("%w: metrics page: %w", ErrMalformed, err)
	}
	mf := families[s.name]
	if mf == nil {
		return 0, "", fmt.Errorf("%w: metric %s not on the page", ErrNoData, s.name)
	}
	for _, m := range mf.GetMetric() {
		pairs := labelMap(m)
		if !hasLabels(pairs, s.labels) {
			continue
		}
		v, ok := sampleOf(m)
		if !ok || math.IsNaN(v) {
			return 0, "", fmt.Errorf("%w: %s has no numeric value", ErrNoData, s.name)
		}
		return v, renderLabels(pairs), nil
	}
	return 0, "", fmt.Errorf("%w: no %s sample with labels %s", ErrNoData, s.name, renderLabels(s.labels))
}

func labelMap(m *dto.Metric) map[string]string {
	out := make(map[string]string, len(m.GetLabel()))
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

func hasLabels(have, want map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// sampleOf reads a gauge, counter or untyped value; other types carry no
// single number.
func sampleOf(m *dto.Metric) (float64, bool) {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue(), true
	case m.Counter != nil:
		return m.GetCounter().GetValue(), true
	case m.Untyped != nil:
		return m.GetUntyped().GetValue(), true
	}
	return 0, false
}
