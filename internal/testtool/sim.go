package testtool

import (
	"context"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// StartSim runs a simulator in-process on a free loopback port and stops
// it when the test ends.
func StartSim(t testing.TB, svc sim.Service) *sim.Server {
	t.Helper()
	s := sim.NewServer(svc)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}
