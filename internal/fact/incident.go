package fact

import "time"

// Kinds of the incident record's and the notifiers' facts.
const (
	KindAcked      = "incident.acked"
	KindTicked     = "incident.ticked"
	KindArtifact   = "incident.artifact"
	KindClosed     = "incident.closed"
	KindNotifySent = "notify.sent"
	// KindNotifyFailed is a delivery that failed.
	KindNotifyFailed = "notify.failed"
)

// Acked is a person acknowledging an incident.
type Acked struct {
	By string `json:"by"`
}

// Ticked is a person ticking a checklist item.
type Ticked struct {
	Checklist string `json:"checklist"`
	Item      string `json:"item"`
	Position  int    `json:"position"` // from 1
	By        string `json:"by"`
}

// Artifact is preserved state: what, and where it was put.
type Artifact struct {
	Name     string `json:"name"`
	Location string `json:"location"`
}

// Closed is an incident closed other than by the return to L0.
type Closed struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
}

// Delivery is one alert delivery attempt's outcome, as NotifySent and
// NotifyFailed carry it.
type Delivery struct {
	Notifier string `json:"notifier"`
	Tier     string `json:"tier"`
	Action   string `json:"action"`
	Attempts int    `json:"attempts"`
	Incident string `json:"incident"`
	Repeat   bool   `json:"repeat"`
}

// NotifySent is an alert delivered.
type NotifySent struct {
	Delivery
}

// NotifyFailed is an alert whose delivery failed.
type NotifyFailed struct {
	Delivery
	Error string `json:"error"`
}

// FaultSet is a fault injected toward the primary (the fault package
// builds its event with the fault's own settings as further fields).
type FaultSet struct {
	By    string    `json:"by"`
	Until time.Time `json:"until"`
}

// Kind implements Fact.
func (Acked) Kind() string { return KindAcked }

// Kind implements Fact.
func (Ticked) Kind() string { return KindTicked }

// Kind implements Fact.
func (Artifact) Kind() string { return KindArtifact }

// Kind implements Fact.
func (Closed) Kind() string { return KindClosed }

// Kind implements Fact.
func (NotifySent) Kind() string { return KindNotifySent }

// Kind implements Fact.
func (NotifyFailed) Kind() string { return KindNotifyFailed }

// Kind implements Fact.
func (FaultSet) Kind() string { return KindFaultSet }
