package config

import (
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// SignalSpec is the trigger's signal as the signal package builds it,
// with its secrets revealed: the file's shape stays here, the engine's in
// signal.
func (t Trigger) SignalSpec() signal.Spec {
	s := t.Signal
	return signal.Spec{
		Trigger: t.Name, Type: s.Type, Route: s.Route, URL: s.URL, Query: s.Query, Metric: s.Metric, Labels: s.Labels,
		PID: s.PID, Path: s.Path, Resource: s.Resource, Command: s.Command, Timeout: s.Timeout,
		Addr: s.Addr, Password: s.Password.Reveal(), Probe: s.Probe.Spec(), MinLookups: s.MinLookups,
	}
}

// Spec is the probe as the signal and verify packages take it.
func (p Probe) Spec() signal.Probe {
	out := signal.Probe{Method: p.Method, Path: p.Path, Body: p.Body, Header: http.Header{}, ExpectStatus: p.ExpectStatus,
		Expect: signal.Expect{Path: p.Expect.Path, Contains: p.Expect.Contains}}
	for k, v := range p.Headers {
		out.Header.Set(k, v.Reveal())
	}
	if len(p.ExpectStatus) == 1 {
		out.Expect.Status = p.ExpectStatus[0]
	}
	if p.Expect.Min != nil {
		out.Expect.Min = *p.Expect.Min
	}
	return out
}
