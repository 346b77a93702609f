package cluster

import (
	"cmp"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

// Settings configure cluster mode. The zero value is cluster mode off: the
// gateway runs as one process with its state in local files, as before.
// Every other zero field takes its documented default.
type Settings struct {
	// Etcd is the connection to etcd, under "etcd" in the file; its fields
	// are promoted, so code reads s.Endpoints.
	Etcd `yaml:"etcd" json:"etcd"`
	// Prefix starts every key this package writes, so several gateways can
	// share one etcd. Default "/lifeboat/". It must start and end with "/".
	Prefix string `yaml:"prefix" json:"prefix"`
	// Name identifies this replica among the others. Default the host name.
	// It must be unique in the cluster and must not contain "/".
	Name string `yaml:"name" json:"name"`
	// LeaseTTL is how long a replica's lease outlives its last renewal:
	// the time after which a dead decider is replaced and a dead replica's
	// figures expire. Default 5 s. Whole seconds, 1 s to 60 s, and at least
	// twice Interval.
	LeaseTTL time.Duration `yaml:"lease_ttl" json:"lease_ttl"`
	// Interval is how often a replica renews its lease and publishes its
	// heartbeat, health verdict and statistics. Default 1 s.
	Interval time.Duration `yaml:"interval" json:"interval"`
	// Quorum is how many live replicas must see the primary down before the
	// decider calls it down. Default 0: a majority of the live replicas.
	Quorum int `yaml:"quorum" json:"quorum"`
	// AdvertiseURL is the base URL of this replica's admin API that the
	// other replicas forward admin writes to while it decides, such as
	// "https://lifeboat-a.example:8003", for a replica behind NAT or known
	// to the others by another name. It must be an absolute http or https
	// URL. Default empty: derived from the admin listener, its scheme from
	// its TLS and its address as bound, an address on every interface
	// (0.0.0.0, [::]) replaced by the host name.
	AdvertiseURL string `yaml:"advertise_url" json:"advertise_url"`
	// ForwardCAFile is a PEM bundle of the certificate authorities this
	// replica trusts for the decider's admin API when it forwards an admin
	// write over https: set it when the admin listeners' certificates come
	// from a private CA or are self-signed. Default empty: the system
	// roots.
	ForwardCAFile string `yaml:"forward_ca_file" json:"forward_ca_file"`
	// ForwardCertFile and ForwardKeyFile are the PEM client certificate
	// and key this replica presents to the decider's admin API when it
	// forwards an admin write: set them when the admin listeners require
	// client certificates (admin.tls.client_ca_file), which otherwise
	// refuse every forwarded call. They are read again as they change on
	// disk, like the other certificates. Default none: no client
	// certificate. Set both or neither.
	ForwardCertFile string `yaml:"forward_cert_file" json:"forward_cert_file"`
	ForwardKeyFile  string `yaml:"forward_key_file" json:"forward_key_file"`
}

// Etcd is how a replica reaches etcd.
type Etcd struct {
	// Endpoints are etcd's client URLs, such as "https://10.0.0.1:2379".
	// Default none, which turns cluster mode off.
	Endpoints []string `yaml:"endpoints" json:"endpoints"`
	// TLS secures the connection to etcd. Default none (plain connections).
	TLS TLS `yaml:"tls" json:"tls"`
	// Username and Password authenticate to etcd. Default none. A password
	// needs a username. The password is a secret.Secret, never shown in
	// JSON nor in YAML output. A MarshalYAML method on Etcd would hide it
	// too, but it is promoted to Settings, which embeds Etcd, and the
	// whole cluster section would then dump as Etcd alone: a dumped
	// configuration lost its prefix, name and lease and did not load back.
	Username string        `yaml:"username" json:"username"`
	Password secret.Secret `yaml:"password" json:"-"`
	// DialTimeout bounds the first connection to etcd. Default 5 s.
	DialTimeout time.Duration `yaml:"dial_timeout" json:"dial_timeout"`
	// RequestTimeout bounds each request to etcd, so a replica cut off from
	// it answers a journaled write with a retryable error within this time.
	// Default 2 s.
	RequestTimeout time.Duration `yaml:"request_timeout" json:"request_timeout"`
}

// TLS names the PEM files of the connection to etcd.
type TLS struct {
	// CAFile verifies etcd's certificate. Default the system roots.
	CAFile string `yaml:"ca_file" json:"ca_file"`
	// CertFile and KeyFile are this replica's client certificate, for etcd
	// started with --client-cert-auth. Default none. Set both or neither.
	CertFile string `yaml:"cert_file" json:"cert_file"`
	KeyFile  string `yaml:"key_file" json:"key_file"`
}

const (
	defaultPrefix         = "/lifeboat/"
	defaultLeaseTTL       = 5 * time.Second
	defaultInterval       = time.Second
	defaultDialTimeout    = 5 * time.Second
	defaultRequestTimeout = 2 * time.Second
	maxLeaseTTL           = time.Minute
)

// Enabled reports whether cluster mode is on.
func (s Settings) Enabled() bool { return len(s.Endpoints) > 0 }

// Validate reports the first field that is wrong, by its YAML path under
// "cluster" (see yaml.go). Zero
// fields are valid because they take their defaults.
func (s Settings) Validate() error {
	if err := s.validateNames(); err != nil {
		return err
	}
	if err := s.validateTimes(); err != nil {
		return err
	}
	switch {
	case (s.TLS.CertFile == "") != (s.TLS.KeyFile == ""):
		return fmt.Errorf("%w: etcd.tls.cert_file and etcd.tls.key_file: set both or neither", ErrSettings)
	case (s.ForwardCertFile == "") != (s.ForwardKeyFile == ""):
		return fmt.Errorf("%w: forward_cert_file and forward_key_file: set both or neither", ErrSettings)
	case s.Password != "" && s.Username == "":
		return fmt.Errorf("%w: etcd.password: needs an etcd.username", ErrSettings)
	case s.Quorum < 0:
		return fmt.Errorf("%w: quorum %d: want 1 or more (0 for a majority of live replicas)", ErrSettings, s.Quorum)
	}
	return s.validateAdvertise()
}

// validateAdvertise accepts an empty AdvertiseURL or an absolute http or
// https URL with a host, which is all a follower can forward to.
func (s Settings) validateAdvertise() error {
	if s.AdvertiseURL == "" {
		return nil
	}
	u, err := url.Parse(s.AdvertiseURL)
	switch {
	case err != nil:
		return fmt.Errorf("%w: advertise_url %q: %w", ErrSettings, s.AdvertiseURL, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "", u.User != nil, u.RawQuery != "", u.Fragment != "":
		return fmt.Errorf("%w: advertise_url %q: want an absolute http or https URL with a host and no user, query "+
			"or fragment, such as https://lifeboat-a.example:8003", ErrSettings, s.AdvertiseURL)
	}
	return nil
}

func (s Settings) validateNames() error {
	for i, e := range s.Endpoints {
		if strings.TrimSpace(e) == "" {
			return fmt.Errorf("%w: etcd.endpoints[%d]: empty", ErrSettings, i)
		}
	}
	switch {
	case s.Prefix != "" && (!strings.HasPrefix(s.Prefix, "/") || !strings.HasSuffix(s.Prefix, "/")):
		return fmt.Errorf("%w: prefix %q: must start and end with /", ErrSettings, s.Prefix)
	case strings.Contains(s.Name, "/"):
		return fmt.Errorf("%w: name %q: must not contain /", ErrSettings, s.Name)
	case len(s.Name) > maxNameBytes:
		return fmt.Errorf("%w: name: longer than %d bytes", ErrSettings, maxNameBytes)
	}
	return nil
}

func (s Settings) validateTimes() error {
	d := s.withTimes()
	switch {
	case s.LeaseTTL < 0 || s.LeaseTTL > maxLeaseTTL || s.LeaseTTL%time.Second != 0:
		return fmt.Errorf("%w: lease_ttl %v: want whole seconds from 1s to %v (0 for the default %v)",
			ErrSettings, s.LeaseTTL, maxLeaseTTL, defaultLeaseTTL)
	case s.Interval < 0:
		return fmt.Errorf("%w: interval %v: want > 0 (0 for the default %v)", ErrSettings, s.Interval, defaultInterval)
	case 2*d.Interval > d.LeaseTTL:
		return fmt.Errorf("%w: interval %v: want at most half of lease_ttl %v, so a live replica renews in time",
			ErrSettings, d.Interval, d.LeaseTTL)
	case s.DialTimeout < 0:
		return fmt.Errorf("%w: etcd.dial_timeout %v: want > 0 (0 for the default %v)", ErrSettings, s.DialTimeout, defaultDialTimeout)
	case s.RequestTimeout < 0:
		return fmt.Errorf("%w: etcd.request_timeout %v: want > 0 (0 for the default %v)",
			ErrSettings, s.RequestTimeout, defaultRequestTimeout)
	}
	return nil
}

// withDefaults returns s with every zero field replaced by its default.
func (s Settings) withDefaults() (Settings, error) {
	s = s.withTimes()
	if s.Prefix == "" {
		s.Prefix = defaultPrefix
	}
	if s.Name == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			return s, fmt.Errorf("%w: name: no host name to default to: %w", ErrSettings, err)
		}
		s.Name = strings.ReplaceAll(host, "/", "_")
	}
	return s, nil
}

// withTimes fills the durations' defaults.
func (s Settings) withTimes() Settings {
	s.LeaseTTL = cmp.Or(s.LeaseTTL, defaultLeaseTTL)
	s.Interval = cmp.Or(s.Interval, defaultInterval)
	s.DialTimeout = cmp.Or(s.DialTimeout, defaultDialTimeout)
	s.RequestTimeout = cmp.Or(s.RequestTimeout, defaultRequestTimeout)
	return s
}
