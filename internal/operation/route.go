package operation

import "github.com/lifeboat-sre/lifeboat/internal/proxy"

// ParseRoute reads set_route's parameters, {"mode": "split",
// "primary_weight": 25}: a mode, and a weight only, and always, with split.
func ParseRoute(params map[string]any) (proxy.Routing, error) {
	r := read(params, "mode", "primary_weight")
	name := r.text("mode")
	switch {
	case r.err != nil:
		return proxy.Routing{}, r.err
	case name == nil:
		return proxy.Routing{}, invalid("mode", "is required (primary, backup, fallback or split)")
	}
	mode, err := proxy.ParseMode(*name)
	if err != nil {
		return proxy.Routing{}, invalid("mode", "must be primary, backup, fallback or split, got "+describe(*name))
	}
	rt := proxy.Routing{Mode: mode, PrimaryWeight: 100}
	switch given := params["primary_weight"] != nil; {
	case mode == proxy.ModeSplit && !given:
		return proxy.Routing{}, invalid("primary_weight", "is required with mode split")
	case mode != proxy.ModeSplit && given:
		return proxy.Routing{}, invalid("primary_weight", "is only allowed with mode split")
	}
	weight := r.intIn("primary_weight", 0, 100)
	if r.err != nil {
		return proxy.Routing{}, r.err
	}
	set(&rt.PrimaryWeight, weight)
	return rt, nil
}

// SetRoute moves traffic as rt says.
func (o Ops) SetRoute(rt proxy.Routing) error { return o.Gateway.SetRouting(rt) }
