package app_test

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/contract"
)

// The OpenViking contract fixtures, written from the real service's
// source, run through the gateway in its three states: the primary
// healthy, traffic moved to the fallback (LightRAG behind the journal and
// the translation), and the primary dead in backup mode. Each fixture
// says what it expects in each state: the real shape wherever the gateway
// can answer, OpenViking's UNAVAILABLE envelope where it cannot.
func TestContractThroughTheGateway(t *testing.T) {
	fixtures, err := contract.Load("../sim/testdata/contract/openviking")
	if err != nil {
		t.Fatal(err)
	}
	for _, state := range []string{"primary", "fallback", "backup"} {
		t.Run(state, func(t *testing.T) {
			a, base, _ := startJournalApp(t)
			switch state {
			case "fallback":
				if code, body := post(t, base+"/admin/route", `{"mode":"fallback"}`); code != 200 {
					t.Fatalf("routing to the fallback: %d %s", code, body)
				}
			case "backup":
				outage(t, a)
			}
			contract.Run(t, base, contract.Select(fixtures, state), contract.Options{State: state})
		})
	}
}
