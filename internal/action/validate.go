package action

import (
	"errors"
	"strings"
	"unicode"
)

// Validate reports every mistake in the Spec, each as a *field.Error naming
// the field. Zero optional fields are valid because they mean the default.
// Templates are parsed and rendered once with a sample Context, so a syntax
// error or an unknown field such as {{.Levle}} is caught here, not at 3 a.m.
func (s Spec) Validate() error {
	v := &validator{action: s.Name}
	v.name(s.Name)
	if s.Timeout < 0 {
		v.add("timeout", "must not be negative, got %s", s.Timeout)
	}
	switch s.Type {
	case TypeBuiltin:
		v.builtin(s)
	case TypeCommand:
		v.command(s)
	case TypeHTTP:
		v.http(s)
	case "":
		v.add("type", "required: one of builtin, command, http")
		return v.err()
	default:
		v.add("type", "must be one of builtin, command, http, got %q", s.Type)
		return v.err()
	}
	v.foreignFields(s)
	return v.err()
}

// ValidateList validates every Spec and checks that names are unique, so
// results and events can be told apart.
func ValidateList(specs []Spec) error {
	errs := make([]error, 0, len(specs)+1)
	for _, s := range specs {
		errs = append(errs, s.Validate())
	}
	return errors.Join(append(errs, UniqueNames(specs))...)
}

// UniqueNames reports every name a list uses twice, the check ValidateList
// adds to each Spec's own; a caller that validates each Spec under its own
// path (the configuration file) adds it once for the list.
func UniqueNames(specs []Spec) error {
	var errs []error
	seen := make(map[string]int, len(specs))
	for i, s := range specs {
		if first, dup := seen[s.Name]; dup && s.Name != "" {
			errs = append(errs, fieldError(s.Name, "name", "duplicate: actions #%d and #%d share it", first+1, i+1))
			continue
		}
		seen[s.Name] = i
	}
	return errors.Join(errs...)
}

// validator gathers field errors so one run reports every mistake at once.
type validator struct {
	action string
	errs   []error
}

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, fieldError(v.action, field, format, args...))
}

func (v *validator) addErr(err error) {
	if err != nil {
		v.errs = append(v.errs, err)
	}
}

func (v *validator) err() error { return errors.Join(v.errs...) }

func (v *validator) name(name string) {
	switch {
	case strings.TrimSpace(name) == "":
		v.add("name", "required")
	case strings.TrimSpace(name) != name:
		v.add("name", "must not start or end with spaces, got %q", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		v.add("name", "must not contain control characters, got %q", name)
	}
}

func (v *validator) builtin(s Spec) {
	if strings.TrimSpace(s.Builtin) == "" {
		v.add("builtin", "required: the name of a registered built-in")
	}
}

// fieldUse records whether a type-specific field is set and which type owns it.
type fieldUse struct {
	field string
	set   bool
	owner Type
}

func (s Spec) fieldUses() []fieldUse {
	return []fieldUse{
		{"builtin", s.Builtin != "", TypeBuiltin},
		{"params", len(s.Params) > 0, TypeBuiltin},
		{"command", len(s.Command) > 0, TypeCommand},
		{"env", len(s.Env) > 0, TypeCommand},
		{"dir", s.Dir != "", TypeCommand},
		{"method", s.Method != "", TypeHTTP},
		{"url", s.URL != "", TypeHTTP},
		{"headers", len(s.Headers) > 0, TypeHTTP},
		{"body", s.Body != "", TypeHTTP},
		{"expect_status", len(s.ExpectStatus) > 0, TypeHTTP},
	}
}

// foreignFields rejects fields that belong to another type: a URL on a
// command is almost certainly a mistake the operator wants to hear about.
func (v *validator) foreignFields(s Spec) {
	for _, u := range s.fieldUses() {
		if u.set && u.owner != s.Type {
			v.add(u.field, "only allowed for type %s, not %s", u.owner, s.Type)
		}
	}
}
