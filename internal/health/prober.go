package health

import "context"

// Prober performs one health probe. Probe must return when ctx is done, and
// must fill every Result field except At, which the Checker sets when left
// zero. It may be called concurrently by Run and CheckNow.
type Prober interface {
	Probe(ctx context.Context) Result
}

// ProberFunc adapts a function to the Prober interface.
type ProberFunc func(ctx context.Context) Result

// Probe calls f(ctx).
func (f ProberFunc) Probe(ctx context.Context) Result { return f(ctx) }
