package sim

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/contract"
)

// The contract fixtures, written from the real services' sources, hold
// for the simulators; the gateway runs the same fixtures in its states.
func TestContractOpenViking(t *testing.T) {
	fixtures, err := contract.Load("testdata/contract/openviking")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	contract.Run(t, s.URL(), fixtures, contract.Options{State: "sim"})
}

func TestContractLightRAG(t *testing.T) {
	fixtures, err := contract.Load("testdata/contract/lightrag")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, NewLightRAG(LightRAGOptions{}))
	contract.Run(t, s.URL(), fixtures, contract.Options{State: "sim"})
}
