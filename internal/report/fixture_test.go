package report

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// sampleIncident is an outage that reached L3 at 02:40, moved traffic to
// the fallback at 03:20 and was restored at 09:20 (times after t0).
func sampleIncident() incident.Incident {
	entry := func(seq, sec int, kind, msg string, fields map[string]any) incident.Entry {
		return incident.Entry{Seq: seq, Time: at(sec), Kind: kind, Source: "level", Severity: "warning", Message: msg, Fields: fields}
	}
	tl := []incident.Entry{
		entry(1, 125, "level.changed", "L0 -> L1: error rate", map[string]any{"from": "L0", "to": "L1"}),
		entry(2, 125, "trigger.fired", "trigger error_rate fired: 25 % > 20 %", nil),
		entry(3, 160, "level.changed", "L1 -> L3: immediate | critical", map[string]any{"from": "L1", "to": "L3"}),
		entry(4, 200, "routing.changed", "primary -> fallback", map[string]any{"from": "primary", "to": "fallback"}),
		entry(5, 205, "incident.artifact", "redis snapshot", map[string]any{"name": "redis", "location": "/var/lib/lifeboat/redis.rdb"}),
		entry(6, 230, "rollback.result", "ROLLBACK SUCCESSFUL", nil),
		entry(7, 560, "level.changed", "L3 -> L0: restored", map[string]any{"from": "L3", "to": "L0"}),
	}
	secs := func(name string, v float64, limit time.Duration) incident.Metric {
		d := time.Duration(v * float64(time.Second))
		pass := d < limit
		status := incident.StatusPass
		if !pass {
			status = incident.StatusFail
		}
		return incident.Metric{Name: name, Unit: incident.UnitSeconds, Value: v, Text: d.String(), Measured: true,
			Target: "< " + limit.String(), Limit: limit.Seconds(), Pass: pass, Status: status}
	}
	return incident.Incident{
		ID: "inc-20260203-1402", OpenedAt: at(125), ClosedAt: at(560), Level: "L0", MaxLevel: "L3",
		Trigger: "error_rate", Rollback: "ROLLBACK SUCCESSFUL", AckedBy: "alice", AckedAt: at(300),
		Timeline: tl,
		Checklists: []incident.Checklist{
			{Name: incident.EmergencyRollback, Items: []incident.Item{
				{Text: "System status assessed", Done: true, By: incident.ByAutomation, At: at(125), Event: 2},
				{Text: "OpenViking traffic isolated", Done: true, By: incident.ByAutomation, At: at(200), Event: 4},
				{Text: "Stakeholders notified", Done: true, By: "bob", At: at(400)},
				{Text: "Root cause analysis started"},
			}},
			{Name: incident.PostRollbackReview, Items: []incident.Item{
				{Text: "Timeline documented", Done: true, By: incident.ByAutomation, At: at(560), Event: 7},
				{Text: "Root cause identified"},
			}},
		},
		Artifacts: []incident.Artifact{{Name: "redis", Location: "/var/lib/lifeboat/redis.rdb", Time: at(205), Seq: 5}},
		Metrics: incident.Metrics{
			Detection:   secs("detection", 5, 30*time.Second),
			Containment: secs("containment", 80, 2*time.Minute),
			Recovery:    secs("recovery", 110, 5*time.Minute),
			Restore:     secs("restore", 440, 10*time.Minute),
			Downtime:    secs("downtime", 79, 30*time.Second),
			DataLoss: incident.Metric{Name: "data_loss", Unit: incident.UnitRatio, Text: incident.StatusUnmeasured,
				Target: "< 1%", Status: incident.StatusUnmeasured, Note: "no write journal"},
			Manual: incident.Metric{Name: "manual_intervention", Unit: incident.UnitYesNo, Text: "no", Measured: true,
				Target: "no", Pass: true, Status: incident.StatusPass},
		},
	}
}
