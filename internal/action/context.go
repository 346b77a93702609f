package action

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Context is what the caller knows when it runs actions: which level change
// triggered them and why. Commands receive it as LIFEBOAT_* environment
// variables, HTTP actions as template fields.
type Context struct {
	// Level is the level being entered, e.g. "L2".
	Level string `json:"level"`
	// PreviousLevel is the level being left.
	PreviousLevel string `json:"previous_level,omitempty"`
	// Reason is the human-readable cause, e.g. the trigger and its value.
	Reason string `json:"reason,omitempty"`
	// Incident identifies the incident the change belongs to.
	Incident string `json:"incident,omitempty"`
	// Mode is the gateway's routing mode after the change.
	Mode string `json:"mode,omitempty"`
	// PrimaryURL and FallbackURL are the upstreams' base URLs.
	PrimaryURL  string `json:"primary_url,omitempty"`
	FallbackURL string `json:"fallback_url,omitempty"`
	// DryRun makes Run describe the action instead of running it.
	DryRun bool `json:"dry_run,omitempty"`
	// Extra carries further values, e.g. "replicas" for a restore step.
	// Key "replicas" reaches commands as LIFEBOAT_REPLICAS and templates as
	// {{.Extra.replicas}}; a missing key renders as "".
	Extra map[string]string `json:"extra,omitempty"`
}

// templateData is what URL, header and body templates see: the Context's
// fields plus the action's name and the time it started.
type templateData struct {
	Context
	// Action is the Spec's name.
	Action string
	// Timestamp is the start time in RFC 3339, UTC.
	Timestamp string
}

func newTemplateData(name string, c Context, now time.Time) templateData {
	return templateData{Context: c, Action: name, Timestamp: now.UTC().Format(time.RFC3339)}
}

// sampleData stands in for a real Context when templates are validated.
// The URLs are real-looking so "{{.PrimaryURL}}/admin/..." passes the URL
// check.
func sampleData(name string) templateData {
	c := Context{
		Level: "L2", PreviousLevel: "L1", Reason: `sample "reason"`, Incident: "sample",
		Mode: "backup", PrimaryURL: "http://127.0.0.1:1933", FallbackURL: "http://127.0.0.1:9621",
	}
	return newTemplateData(name, c, time.Unix(0, 0))
}

// environ returns the context variables. Extras come first so a standard
// variable always wins over an Extra key that maps to the same name.
func (d templateData) environ() []string {
	env := make([]string, 0, len(d.Extra)+10)
	for _, k := range slices.Sorted(maps.Keys(d.Extra)) {
		env = append(env, reservedEnvPrefix+envName(k)+"="+d.Extra[k])
	}
	return append(env,
		"LIFEBOAT_ACTION="+d.Action,
		"LIFEBOAT_TIMESTAMP="+d.Timestamp,
		"LIFEBOAT_LEVEL="+d.Level,
		"LIFEBOAT_PREVIOUS_LEVEL="+d.PreviousLevel,
		"LIFEBOAT_REASON="+d.Reason,
		"LIFEBOAT_INCIDENT="+d.Incident,
		"LIFEBOAT_MODE="+d.Mode,
		"LIFEBOAT_PRIMARY_URL="+d.PrimaryURL,
		"LIFEBOAT_FALLBACK_URL="+d.FallbackURL,
		"LIFEBOAT_DRY_RUN="+strconv.FormatBool(d.DryRun),
	)
}

// envName upper-cases an Extra key and replaces anything that is not a
// letter, digit or underscore, so "primary-weight" becomes PRIMARY_WEIGHT.
func envName(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			return r
		}
		return '_'
	}, key)
}
