package admin

import (
	"errors"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/field"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

func (a *API) getRoute(*http.Request) (any, error) {
	return routeView(a.o.Gateway.Routing()), nil
}

func (a *API) setRoute(r *http.Request) (any, error) {
	rt, err := params(r, a.o.MaxBodyBytes, operation.ParseRoute)
	if err != nil {
		return nil, err
	}
	if err := a.ops().SetRoute(rt); err != nil {
		return nil, bad("body", "%v", err)
	}
	a.changed(r, "routing set to "+rt.Mode.String(), map[string]any{"mode": rt.Mode.String(), "primary_weight": rt.PrimaryWeight})
	return routeView(rt), nil
}

func routeView(rt proxy.Routing) map[string]any {
	return map[string]any{"mode": rt.Mode.String(), "primary_weight": rt.PrimaryWeight}
}

// bodyless runs a change that takes no parameters. A body is still checked,
// so a misdirected call with parameters is refused rather than ignored.
func (a *API) bodyless(r *http.Request, what string, change func(), view func() any) (any, error) {
	if err := decode(r, &struct{}{}, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	change()
	a.changed(r, what, nil)
	return view(), nil
}

// ops is the operations over this API's gateway and defaults.
func (a *API) ops() operation.Ops {
	return operation.Ops{Gateway: a.o.Gateway, Defaults: a.o.Defaults}
}

// params decodes an operation's body and parses it with parse. The body
// is read as loose JSON and parsed by the operation package, as the
// built-in actions' params are, so the two accept the same calls; a
// refusal names its field like every other admin refusal.
func params[P any](r *http.Request, limit int64, parse func(map[string]any) (P, error)) (P, error) {
	var body map[string]any
	if err := decode(r, &body, limit); err != nil {
		var zero P
		return zero, err
	}
	p, err := parse(body)
	var fe *field.Error
	switch {
	case errors.As(err, &fe):
		return p, bad(fe.Field, "%s", fe.Msg)
	case err != nil:
		return p, bad("body", "%v", err)
	}
	return p, nil
}
