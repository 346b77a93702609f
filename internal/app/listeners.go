package app

import (
	"errors"
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/server"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// ErrPlaintextAdmin means the admin API would cross the network in clear
// text: its token, and every control that moves traffic.
var ErrPlaintextAdmin = errors.New("app: admin API on a non-loopback address over plain HTTP; " +
	"give it TLS (tls, or admin.tls with admin.listen), move it to a loopback admin.listen, or set admin.allow_plaintext: true")

// buildServers makes the client listener and, with admin.listen, the
// admin API's, each with its TLS configuration and certificate reloader.
func (a *App) buildServers() error {
	c := a.cfg
	admin, err := a.adminHandler()
	if err != nil {
		return err
	}
	s, err := server.New(server.Options{Listen: c.Listen, TLS: c.TLS, AdminListen: c.Admin.Listen, AdminTLS: c.Admin.TLS,
		Gateway: a.plane.Gateway, Admin: admin, Log: a.log, Certificates: a.announcer()})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.servers = s
	return nil
}

// announcer turns certificate reloads into the app's events.
func (a *App) announcer() tlsconf.Announcer { return tlsconf.Announcer{Events: a.sink, Now: a.now} }

// insecureNotes are /status's warnings per upstream: non-empty for one
// reached with insecure_skip_verify.
func (a *App) insecureNotes() []string {
	return tlsconf.InsecureNotes(a.cfg.Upstreams.Primary.TLS, a.cfg.Upstreams.Fallback.TLS)
}

// AdminAddr is the admin listener's address: Addr when the admin API
// shares the client listener, empty before Start.
func (a *App) AdminAddr() string { return a.servers.AdminAddr() }

// registerAdminMetrics exports the admin API's refused authentications.
func (a *App) registerAdminMetrics() error { return metrics.NewAdminAuth(a.reg, a.admin.AuthFailures) }
