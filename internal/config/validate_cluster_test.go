package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

func TestClusterSection(t *testing.T) {
	cfg, err := Parse([]byte(`
cluster:
  etcd:
    endpoints: ["http://10.0.0.1:2379", "http://10.0.0.2:2379"]
    username: lifeboat
    password: s3cret
    request_timeout: 3s
  prefix: /gw/
  name: replica-a
  lease_ttl: 4
  advertise_url: https://lifeboat-a.example:8003
  forward_ca_file: /etc/lifeboat/admin-ca.pem
  forward_cert_file: /etc/lifeboat/forward.pem
  forward_key_file: /etc/lifeboat/forward-key.pem
`))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Cluster
	if !c.Enabled() || len(c.Endpoints) != 2 || c.Username != "lifeboat" || c.Password != "s3cret" ||
		c.RequestTimeout != 3*time.Second || c.Prefix != "/gw/" || c.Name != "replica-a" || c.LeaseTTL != 4*time.Second ||
		c.AdvertiseURL != "https://lifeboat-a.example:8003" || c.ForwardCAFile != "/etc/lifeboat/admin-ca.pem" ||
		c.ForwardCertFile != "/etc/lifeboat/forward.pem" || c.ForwardKeyFile != "/etc/lifeboat/forward-key.pem" {
		t.Fatalf("parsed %+v", c)
	}
	if _, err := Parse([]byte("cluster:\n  etcd:\n    endpoint: [x]\n")); !errors.Is(err, ErrParse) {
		t.Errorf("unknown key: got %v, want ErrParse", err)
	}
	_, err = Parse([]byte("cluster:\n  etcd:\n    endpoints: [x]\n  prefix: gw\n"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cluster: ") || !strings.Contains(err.Error(), "prefix") {
		t.Errorf("bad prefix: got %v, want ErrInvalid naming cluster prefix", err)
	}
	_, err = Parse([]byte("cluster:\n  etcd:\n    endpoints: [x]\n  advertise_url: lifeboat-a:8003\n"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cluster: ") || !strings.Contains(err.Error(), "advertise_url") {
		t.Errorf("bad advertise_url: got %v, want ErrInvalid naming cluster advertise_url", err)
	}
	_, err = Parse([]byte("cluster:\n  etcd:\n    endpoints: [x]\n  forward_cert_file: /etc/lifeboat/forward.pem\n"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cluster: ") || !strings.Contains(err.Error(), "forward_key_file") {
		t.Errorf("forward_cert_file without forward_key_file: got %v, want ErrInvalid naming cluster forward_key_file", err)
	}
	if out, err := yaml.Marshal(cfg); err != nil || strings.Contains(string(out), "s3cret") || !strings.Contains(string(out), "endpoints:") {
		t.Errorf("effective configuration: err %v, password shown or endpoints missing:\n%s", err, out)
	}
	clusterDumpLoadsBack(t, cfg)
	if out, _ := yaml.Marshal(Default()); Default().Cluster.Enabled() || strings.Contains(string(out), "cluster:") {
		t.Errorf("default configuration mentions cluster mode:\n%s", out)
	}
}

// clusterDumpLoadsBack checks that the cluster section of a dumped
// configuration (the admin API's effective configuration, the preserved
// one) loads back as the same settings, the password aside: it is dumped
// redacted on purpose.
func clusterDumpLoadsBack(t *testing.T, cfg Config) {
	t.Helper()
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatalf("the dump does not load back: %v\n%s", err, out)
	}
	want := cfg.Cluster
	want.Password = secret.Redacted
	if !reflect.DeepEqual(back.Cluster, want) {
		t.Errorf("the dump loads back as %+v, want %+v", back.Cluster, want)
	}
}
