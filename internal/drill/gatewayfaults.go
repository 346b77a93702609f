package drill

import (
	"context"
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// GatewayFaults drives the gateway's own fault injection toward the
// primary (POST and DELETE /admin/faults), so a real primary can be
// drilled without being touched. The gateway cannot fake resource
// pressure, which it reads from the primary's own metrics: Set refuses
// CPU and memory faults, which need a simulator (HTTPFaults, SimFaults).
type GatewayFaults struct {
	// Client is the gateway's admin client. Required.
	Client *client.Client
	// By names the drill in the gateway's events. Default "": the admin
	// API names the caller's address.
	By string
}

// Set injects f inside the gateway.
func (g GatewayFaults) Set(ctx context.Context, f Fault) error {
	if f.CPUPercent > 0 || f.MemoryPercent > 0 {
		return fmt.Errorf("%w: the gateway cannot fake resource pressure, which it reads from the primary's metrics; "+
			"inject it through the primary's simulator", ErrFault)
	}
	_, err := g.Client.SetFault(ctx, fault.Fault{
		LatencyMS: f.LatencyMS, JitterMS: f.JitterMS, ErrorRate: f.ErrorRate, ErrorStatus: f.ErrorStatus,
		Down: f.Down, Hang: f.Hang, CorruptSearch: f.CorruptSearch, DurationMS: f.DurationMS,
	}, g.By)
	if err != nil {
		return fmt.Errorf("%w: gateway: %w", ErrFault, err)
	}
	return nil
}

// Clear ends the gateway's fault, if any.
func (g GatewayFaults) Clear(ctx context.Context) error {
	if _, err := g.Client.ClearFault(ctx, g.By); err != nil {
		return fmt.Errorf("%w: gateway: %w", ErrFault, err)
	}
	return nil
}
