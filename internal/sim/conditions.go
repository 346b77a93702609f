package sim

import "sync/atomic"

// conditions is the part of the fault a service applies itself
// (corrupt_search, resource gauges). A Server pushes every change; a
// service used without a Server sees the zero fault.
type conditions struct {
	f atomic.Pointer[Fault]
}

func (c *conditions) set(f Fault) { c.f.Store(&f) }

func (c *conditions) get() Fault {
	if p := c.f.Load(); p != nil {
		return *p
	}
	return Fault{}
}
