package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Faults injects faults into the gateway's traffic toward the primary, for
// drills. Set refuses an invalid fault with a *field.Error and
// replaces the fault in force; every fault reverts by itself.
type Faults interface {
	Set(f fault.Fault, by string) (fault.Status, error)
	Clear(by string) bool
	Status() fault.Status
}

func (a *API) faultRoutes() {
	a.handle("GET /admin/faults", a.getFaults)
	a.handle("POST /admin/faults", a.setFault)
	a.handle("DELETE /admin/faults", a.clearFault)
}

// errFaultsOff answers every fault call when no injector is configured.
var errFaultsOff = &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "faults",
	msg: "is disabled: this gateway runs without fault injection"}

func (a *API) getFaults(*http.Request) (any, error) {
	if a.o.Faults == nil {
		return nil, errFaultsOff
	}
	return a.o.Faults.Status(), nil
}

// setFaultRequest is the fault in the simulators' vocabulary plus who asks:
// {"down": true, "duration_ms": 30000, "by": "drill"}.
type setFaultRequest struct {
	fault.Fault
	By *string `json:"by"`
}

// setFault injects a fault toward the primary for duration_ms (required).
func (a *API) setFault(r *http.Request) (any, error) {
	if a.o.Faults == nil {
		return nil, errFaultsOff
	}
	var in setFaultRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		// encoding/json names a promoted field by its path ("Fault.down");
		// the caller knows only the JSON name.
		if ie, ok := err.(*inputError); ok {
			ie.Field = strings.TrimPrefix(ie.Field, "Fault.")
		}
		return nil, err
	}
	by, err := byOf(r, in.By)
	if err != nil {
		return nil, err
	}
	st, err := a.o.Faults.Set(in.Fault, by)
	if fe, ok := errors.AsType[*field.Error](err); ok {
		return nil, bad(fe.Field, "%s", fe.Msg)
	}
	if errors.Is(err, fault.ErrStopped) {
		return nil, &callError{status: http.StatusConflict, code: "FAILED_PRECONDITION", field: "state",
			msg: "the gateway is stopping; no fault can be set"}
	}
	return st, err
}

// clearFault ends the fault in force, if any; the body may name "by".
func (a *API) clearFault(r *http.Request) (any, error) {
	if a.o.Faults == nil {
		return nil, errFaultsOff
	}
	var in byRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	by, err := byOf(r, in.By)
	if err != nil {
		return nil, err
	}
	a.o.Faults.Clear(by)
	return a.o.Faults.Status(), nil
}
