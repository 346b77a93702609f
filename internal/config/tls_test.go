package config

import "testing"

func primaryTLS(f func(t *UpstreamTLS)) func(*Config) {
	return func(c *Config) {
		c.Upstreams.Primary.URL = "https://openviking:1933"
		f(&c.Upstreams.Primary.TLS)
	}
}

var tlsRules = []rule{
	{"cert without key", "tls", func(c *Config) { c.TLS.CertFile = "/c.pem" }},
	{"key without cert", "admin.tls", func(c *Config) { c.Admin.TLS.KeyFile = "/k.pem" }},
	{"client ca without tls", "tls.client_ca_file", func(c *Config) { c.TLS.ClientCAFile = "/ca.pem" }},
	{"tls 1.1", "tls.min_version", func(c *Config) { c.TLS.MinVersion = "1.1" }},
	{"reload interval zero", "tls.reload_interval", func(c *Config) { c.TLS.ReloadInterval = 0 }},
	{"admin listen", "admin.listen", func(c *Config) { c.Admin.Listen = "localhost" }},
	{"upstream cert without key", "upstreams.primary.tls", primaryTLS(func(t *UpstreamTLS) { t.CertFile = "/c.pem" })},
	{"upstream server name control", "upstreams.primary.tls.server_name", primaryTLS(func(t *UpstreamTLS) { t.ServerName = "a\nb" })},
	{"tls on plain http", "upstreams.primary.tls", func(c *Config) { c.Upstreams.Primary.TLS.CAFile = "/ca.pem" }},
	{"one host two tls settings", "upstreams.fallback.tls", func(c *Config) {
		c.Upstreams.Primary.URL, c.Upstreams.Fallback.URL = "https://gw:443/ov", "https://gw:443/smp"
		c.Upstreams.Primary.TLS.ServerName = "ov.internal"
	}},
}

// A complete production TLS setup on both sides validates.
func TestValidateAcceptsTLSBothSides(t *testing.T) {
	c := Default()
	c.TLS = ServerTLS{CertFile: "/c.pem", KeyFile: "/k.pem", ClientCAFile: "/ca.pem", MinVersion: "1.3", ReloadInterval: 10e9}
	c.Admin.Listen = ":8003"
	c.Admin.TLS.CertFile, c.Admin.TLS.KeyFile = "/a.pem", "/ak.pem"
	c.Upstreams.Primary.URL = "https://openviking:1933"
	c.Upstreams.Primary.TLS = UpstreamTLS{CAFile: "/ca.pem", CertFile: "/c.pem", KeyFile: "/k.pem", ServerName: "ov"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
