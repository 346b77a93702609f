package cluster

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestSettingsValidate(t *testing.T) {
	ok := Settings{Etcd: Etcd{Endpoints: []string{"http://127.0.0.1:2379"}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, u := range []string{"https://lifeboat-a.example:8003", "http://10.0.0.7:8003/", "https://gw.example/lifeboat"} {
		if err := (Settings{AdvertiseURL: u}).Validate(); err != nil {
			t.Errorf("advertise_url %q: %v", u, err)
		}
	}
	if err := (Settings{}).Validate(); err != nil || (Settings{}).Enabled() {
		t.Fatalf("zero settings: err %v, enabled %v; want valid and off", err, (Settings{}).Enabled())
	}
	bad := map[string]Settings{
		"endpoints[0]": {Etcd: Etcd{Endpoints: []string{" "}}},
		"prefix":       {Prefix: "lifeboat"},
		"name":         {Name: "a/b"},
		"lease_ttl":    {LeaseTTL: 1500 * time.Millisecond},
		"interval":     {LeaseTTL: 2 * time.Second, Interval: 1500 * time.Millisecond},
		"dial_timeout": {Etcd: Etcd{DialTimeout: -1}},
		"tls.cert":     {Etcd: Etcd{TLS: TLS{CertFile: "c.pem"}}},
		"password":     {Etcd: Etcd{Password: "x"}},
		"quorum":       {Quorum: -1},
		// Each a URL a follower could not forward to.
		"advertise_url":          {AdvertiseURL: "lifeboat-a:8003"},
		"advertise_url relative": {AdvertiseURL: "/admin"},
		"advertise_url scheme":   {AdvertiseURL: "ftp://lifeboat-a:8003"},
		"advertise_url host":     {AdvertiseURL: "https://"},
		"advertise_url parse":    {AdvertiseURL: "https://a b:80"},
	}
	for field, s := range bad {
		err := s.Validate()
		name, _, _ := strings.Cut(strings.TrimSuffix(field, "[0]"), " ")
		if !errors.Is(err, ErrSettings) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v, want ErrSettings naming the field", field, err)
		}
	}
}

func TestSettingsDefaults(t *testing.T) {
	s, err := Settings{Etcd: Etcd{Endpoints: []string{"x"}}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if s.Prefix != "/lifeboat/" || s.Name == "" || s.LeaseTTL != 5*time.Second || s.Interval != time.Second ||
		s.DialTimeout != 5*time.Second || s.RequestTimeout != 2*time.Second || s.Quorum != 0 {
		t.Fatalf("defaults: %+v", s)
	}
}

func TestMerge(t *testing.T) {
	var a, b RouteStats
	for range 90 {
		a.Observe(3*time.Millisecond, false)
	}
	for range 10 {
		b.Observe(3*time.Second, true)
	}
	all := []Stats{
		{Replica: "a", Routes: Routes{"search": a, "write": a}},
		{Replica: "b", Routes: Routes{"search": b}},
	}
	got := Merge(all)
	s := got["search"]
	if s.Requests != 100 || s.Failures != 10 || s.ErrorRate() != 0.1 {
		t.Fatalf("search: %+v, rate %v", s, s.ErrorRate())
	}
	if p50, p99 := s.Quantile(0.5), s.Quantile(0.99); p50 != 5*time.Millisecond || p99 != 5*time.Second {
		t.Fatalf("p50 %v p99 %v; want 5ms and 5s", p50, p99)
	}
	if got["write"].Requests != 90 {
		t.Fatalf("write: %+v", got["write"])
	}
	if (RouteStats{}).Quantile(0.5) != 0 || (RouteStats{}).ErrorRate() != 0 {
		t.Fatal("empty route must report zeros")
	}
	var slow RouteStats
	slow.Observe(time.Minute, false)
	if slow.Quantile(1) != 10*time.Second {
		t.Fatalf("beyond the last bound: %v", slow.Quantile(1))
	}
}

func TestAgree(t *testing.T) {
	down := Replica{Health: Verdict{Down: true}}
	up := Replica{}
	cases := []struct {
		live []Replica
		min  int
		want bool
	}{
		{[]Replica{down, up, up}, 0, false}, // One replica's trouble is not the fleet's.
		{[]Replica{down, down, up}, 0, true},
		{[]Replica{down, up}, 0, false}, // A majority of two is two.
		{[]Replica{down, up, up}, 1, true},
		{[]Replica{down}, 2, false},
		{nil, 0, false},
	}
	for i, c := range cases {
		if got := Agree(c.live, c.min); got.Agreed != c.want {
			t.Errorf("case %d: %+v, want agreed=%v", i, got, c.want)
		}
	}
}

func TestReplicaOf(t *testing.T) {
	if got := replicaOf("gw-1.example.ab12cd34.0000000000000001"); got != "gw-1.example" {
		t.Fatalf("got %q", got)
	}
}

// A follower that fell behind imports each incident's newest document
// once, in the order of those newest puts; deletes are not documents.
func TestNewestKeepsEachKeysLastPut(t *testing.T) {
	put := func(key, val string) *clientv3.Event {
		return &clientv3.Event{Type: clientv3.EventTypePut, Kv: &mvccpb.KeyValue{Key: []byte(key), Value: []byte(val)}}
	}
	del := &clientv3.Event{Type: clientv3.EventTypeDelete, Kv: &mvccpb.KeyValue{Key: []byte("a")}}
	var got []string
	for _, ev := range newest([]*clientv3.Event{put("a", "a1"), put("b", "b1"), put("a", "a2"), del, put("c", "c1"), put("b", "b2")}) {
		got = append(got, string(ev.Kv.Value))
	}
	if want := []string{"a2", "c1", "b2"}; !slices.Equal(got, want) {
		t.Fatalf("newest: %v, want %v", got, want)
	}
}
