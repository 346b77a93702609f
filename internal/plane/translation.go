package plane

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

// newTranslator builds the translation of OpenViking calls into the
// fallback's API: the configured rules first, then the built-in profile.
// Fallback answers the gateway cannot use are logged with their cause and
// counted in lifeboat_fallback_errors_total{rule,cause}.
func (p *Plane) newTranslator(c config.Translation, fallback *url.URL, next http.RoundTripper) (*translate.Translator, error) {
	rules := slices.Clone(c.Rules)
	if c.Builtin {
		rules = append(rules, translate.Builtin()...)
	}
	var hdr http.Header
	if k := c.FallbackAPIKey.Reveal(); k != "" {
		hdr = http.Header{"X-Api-Key": {k}}
	}
	errs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lifeboat_fallback_errors_total",
		Help: "Fallback answers the gateway could not use, answered UNAVAILABLE, by translation rule and cause."},
		[]string{"rule", "cause"})
	if err := p.d.Registry.Register(errs); err != nil {
		return nil, fmt.Errorf("app: metrics: %w", err)
	}
	tr, err := translate.New(translate.Options{Rules: rules, Fallback: fallback, Transport: next, Header: hdr,
		OnFallbackError: func(rule, cause, detail string) {
			errs.WithLabelValues(rule, cause).Inc()
			p.d.Log.Warn("the fallback's answer could not be used", "rule", rule, "cause", cause, "detail", detail)
		}})
	if err != nil {
		return nil, fmt.Errorf("app: translation: %w", err)
	}
	return tr, nil
}
