// Package fact is the typed vocabulary of escalation: one Go type per
// thing the engines report (a level change, a trigger firing, a rollback
// verdict, a restore step, a person's acknowledgement...).
//
// Engines build a fact and hand it to event.Of, which derives the event's
// Kind and Fields from it, so the log line and the JSON events keep the
// shape they always had: a fact's JSON tags are its field names. Readers
// switch on the Go type instead of comparing kind strings and reading
// fields by key; for events that come back from storage as plain JSON,
// Decode turns kind and fields into the same types.
//
// The package imports nothing of Lifeboat's, so every package may depend
// on it: the level names, the rollback verdicts and the kind strings live
// here once. Values that belong to an engine (a trigger's evidence, an
// action's result) travel as that engine's own type and read back through
// the small views below (Evidence).
//
//	level, proxy, incident, app ──build──▶ Fact ──event.Of──▶ event.Event{Kind, Fields, Fact}
//	incident (SQLite), report   ◀─Decode── kind + fields ◀──── stored timeline entry
package fact

import (
	"reflect"
	"strings"
	"time"
)

// Fact is one escalation fact. Kind is the event kind it is reported
// under; its exported fields, by their JSON tags, are the event's fields.
type Fact interface {
	Kind() string
}

// Level is the name of an escalation level, as events carry it.
type Level string

// The plan's levels by name.
const (
	L0 Level = "L0" // normal: an incident ends when the engine returns here
	L1 Level = "L1"
	L2 Level = "L2"
	L3 Level = "L3"
)

// Verdict is the plan's verdict on a Level 3 rollback.
type Verdict string

// Rollback verdicts, in the plan's words.
const (
	RollbackSuccessful Verdict = "ROLLBACK SUCCESSFUL"
	RollbackFailed     Verdict = "MANUAL INTERVENTION REQUIRED"
)

// ModeFallback is the routing mode that sends everything to the fallback:
// the primary is isolated.
const ModeFallback = "fallback"

// Evidence is the part of a trigger's evidence (trigger.Evidence) that the
// facts' readers need: which trigger, and when its problem began.
type Evidence struct {
	Trigger  string    `json:"trigger"`
	BadSince time.Time `json:"bad_since"`
	Onset    time.Time `json:"onset,omitzero"`
}

// Fields returns f's fields as an event carries them: one entry per JSON
// tag, the engines' own values kept as they are (the log prints them and
// in-process readers assert their types), names of named string types as
// plain strings, and omitempty fields left out when zero.
func Fields(f Fact) map[string]any {
	out := map[string]any{}
	addFields(out, reflect.ValueOf(f))
	return out
}

// addFields adds v's tagged fields to out; an embedded struct's fields
// are v's own, as encoding/json has them.
func addFields(out map[string]any, v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		sf, fv := t.Field(i), v.Field(i)
		if sf.Anonymous && fv.Kind() == reflect.Struct {
			addFields(out, fv)
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		if (opts == "omitempty" || opts == "omitzero") && fv.IsZero() {
			continue
		}
		if fv.Kind() == reflect.String {
			out[name] = fv.String()
			continue
		}
		out[name] = fv.Interface()
	}
}
