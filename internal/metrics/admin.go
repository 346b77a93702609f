package metrics

import "github.com/prometheus/client_golang/prometheus"

// NewAdminAuth exports the admin API's refused authentications. read
// returns the calls refused for a missing or wrong token, and those
// refused unchecked while their address was locked out.
func NewAdminAuth(reg prometheus.Registerer, read func() (failed, throttled int64)) error {
	if err := Counter(reg, "lifeboat_admin_auth_failures_total", "Admin calls refused for a missing or wrong token.", nil,
		func() float64 { f, _ := read(); return float64(f) }); err != nil {
		return err
	}
	return Counter(reg, "lifeboat_admin_auth_throttled_total",
		"Admin calls refused unchecked while their address was locked out after repeated failures.", nil,
		func() float64 { _, t := read(); return float64(t) })
}
