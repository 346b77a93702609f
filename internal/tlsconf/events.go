package tlsconf

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Kinds of the events this package's callers emit, and the warning they
// give of an upstream that is not verified.
const (
	// KindCertificate is a certificate swapped, or refused, on disk.
	KindCertificate = "tls.certificate"
	// KindInsecureUpstream is the start-up warning of an upstream whose
	// certificate is not verified.
	KindInsecureUpstream = "tls.insecure_upstream"
	// InsecureWarning is what the start-up log, the event and /status say
	// of an upstream reached with insecure_skip_verify.
	InsecureWarning = "insecure_skip_verify: the upstream's certificate is not verified; anyone on the path can read and change this traffic"
)

// Announcer turns reloads into events: a certificate swapped on disk, or
// a rotation that could not be read (the old certificate is still served).
type Announcer struct {
	// Events receives the events. Required.
	Events event.Sink
	// Now stamps them. Required.
	Now func() time.Time
}

// Changed is the onChange of the reloader serving file for what (such as
// "client listener" or "primary client certificate").
func (a Announcer) Changed(what, file string) func(error) {
	return func(err error) {
		sev, msg := event.Info, "TLS certificate reloaded for the "+what+" from "+file
		if err != nil {
			sev, msg = event.Warning, "TLS certificate for the "+what+" not reloaded, the previous one is kept: "+err.Error()
		}
		a.Events.Emit(event.Event{Time: a.Now(), Kind: KindCertificate, Source: "tls", Severity: sev, Message: msg,
			Fields: map[string]any{"listener": what, "file": file}})
	}
}

// Insecure says loudly which upstream is not verified: one event per
// upstream with a note, named by names at the same index.
func (a Announcer) Insecure(names []string, notes []string) {
	for i, note := range notes {
		if note == "" {
			continue
		}
		a.Events.Emit(event.Event{Time: a.Now(), Kind: KindInsecureUpstream, Source: "tls", Severity: event.Warning,
			Message: "upstream " + names[i] + ": " + note, Fields: map[string]any{"upstream": names[i]}})
	}
}
