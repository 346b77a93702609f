// Package deploy holds what operators install beside Lifeboat: the
// Prometheus alerting rules (prometheus/) and the Grafana dashboard
// (grafana/). Its tests check both against a real gateway's /metrics.
package deploy
