package sim

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/contract"
)

// The contract fixtures, written from the real services' sources, hold
// for the simulators; the gateway runs the OpenViking ones in its states.
func TestContract(t *testing.T) {
	for dir, svc := range map[string]Service{
		"testdata/contract/openviking": NewOpenViking(OpenVikingOptions{}),
		"testdata/contract/lightrag":   NewLightRAG(LightRAGOptions{}),
	} {
		t.Run(svc.Name(), func(t *testing.T) {
			fixtures, err := contract.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			contract.Run(t, startServer(t, svc).URL(), fixtures, contract.Options{State: "sim"})
		})
	}
}
