package cluster

import (
	"errors"
	"testing"
)

func TestDeciderAdminNeedsAnAdvertisedURL(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	b := join(t, e.Endpoints(), "b", Options{})
	d := decider(t, a, b)
	if _, err := b.DeciderAdmin(ctx(t)); !errors.Is(err, ErrNoDecider) {
		t.Fatalf("DeciderAdmin before any advertisement: %v, want ErrNoDecider", err)
	}
	d.Advertise("http://" + d.Name() + ":8080")
	waitFor(t, "the decider's admin URL", func() bool {
		r, err := b.DeciderAdmin(ctx(t))
		return err == nil && r.Name == d.Name() && r.Admin == "http://"+d.Name()+":8080"
	})
}
