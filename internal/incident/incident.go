package incident

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Incident is one excursion from L0: when it began and ended, what it
// reached, and everything that happened meanwhile.
type Incident struct {
	ID       string    `json:"id"`
	OpenedAt time.Time `json:"opened_at"`
	// ClosedAt is zero while the incident is open.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	Open     bool      `json:"open"`
	// Level is the current level while open, the last one when closed.
	Level    string `json:"level"`
	MaxLevel string `json:"max_level"`
	// Trigger is the first trigger that fired, empty when a person
	// escalated by hand.
	Trigger string `json:"trigger,omitempty"`
	// Rollback is the plan's verdict of the last Level 3 verification:
	// "ROLLBACK SUCCESSFUL" or "MANUAL INTERVENTION REQUIRED".
	Rollback string `json:"rollback,omitempty"`
	// Manual is set once a person changed the level or the restore.
	Manual     bool        `json:"manual"`
	AckedBy    string      `json:"acked_by,omitempty"`
	AckedAt    time.Time   `json:"acked_at,omitzero"`
	Timeline   []Entry     `json:"timeline,omitempty"`
	Checklists []Checklist `json:"checklists,omitempty"`
	Artifacts  []Artifact  `json:"artifacts,omitempty"`
	Metrics    Metrics     `json:"metrics"`
}

// Entry is one event on an incident's timeline. Fields hold the event's
// fields as they read back from JSON: numbers are float64, structs are
// maps, times are RFC 3339 strings.
type Entry struct {
	Seq      int            `json:"seq"`
	Time     time.Time      `json:"time"`
	Kind     string         `json:"kind"`
	Source   string         `json:"source"`
	Severity string         `json:"severity"`
	Message  string         `json:"message"`
	Fields   map[string]any `json:"fields,omitempty"`

	// fact is the typed fact behind Kind and Fields once known (see Fact).
	fact fact.Fact
}

// Artifact is something preserved for the investigation, such as a Redis
// snapshot or an archive of logs, and where it was put.
type Artifact struct {
	Name     string    `json:"name"`
	Location string    `json:"location"`
	Time     time.Time `json:"time"`
	// Seq is the timeline entry that recorded it.
	Seq int `json:"seq"`
}

// Checklist is one of the plan's checklists as worked through during this
// incident.
type Checklist struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Item is one checklist line.
type Item struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
	// By is "automation" or the person who ticked it.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitzero"`
	// Event is the Seq of the timeline entry that ticked it, 0 when a
	// person did.
	Event int `json:"event,omitempty"`
}

// Summary drops the timeline, checklists and artifacts, as List returns.
func (inc Incident) Summary() Incident {
	inc.Timeline, inc.Checklists, inc.Artifacts = nil, nil, nil
	return inc
}
