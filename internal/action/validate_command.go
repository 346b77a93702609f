package action

import (
	"path/filepath"
	"strings"
)

// reservedEnvPrefix marks the variables that carry the action Context.
const reservedEnvPrefix = "LIFEBOAT_"

func (v *validator) command(s Spec) {
	if len(s.Command) == 0 {
		v.add("command", `required: the program and its arguments as a list, e.g. ["nginx", "-s", "reload"]`)
	} else {
		v.program(s.Command, s.Dir)
	}
	for i, arg := range s.Command {
		if strings.ContainsRune(arg, 0) {
			v.add(indexField("command", i), "must not contain NUL bytes")
		}
	}
	if s.Dir != "" && !filepath.IsAbs(s.Dir) {
		v.add("dir", "must be an absolute path, got %q", s.Dir)
	}
	v.env(s.Env)
}

// program checks argv[0]. A lone element with spaces is almost always a
// shell string pasted from the runbook; running it would fail with a
// confusing "not found", so it is refused with a hint instead.
func (v *validator) program(argv []string, dir string) {
	prog := argv[0]
	switch {
	case strings.TrimSpace(prog) == "":
		v.add("command[0]", "the program must not be blank")
	case strings.TrimSpace(prog) != prog:
		v.add("command[0]", "must not start or end with spaces, got %q", prog)
	case len(argv) == 1 && strings.ContainsAny(prog, " \t\n"):
		v.add("command", "looks like a shell string %q: write the program and each argument as list items", prog)
	case strings.ContainsRune(prog, filepath.Separator) && !filepath.IsAbs(prog) && dir == "":
		v.add("command[0]", "relative path %q depends on Lifeboat's working directory: use an absolute path, a bare name found in PATH, or set dir", prog)
	}
}

func (v *validator) env(env map[string]string) {
	for k, val := range env {
		field := "env." + k
		switch {
		case k == "" || strings.ContainsAny(k, "=\x00"):
			v.add("env", "invalid variable name %q", k)
		case strings.HasPrefix(strings.ToUpper(k), reservedEnvPrefix):
			v.add(field, "the LIFEBOAT_ prefix is reserved for the action context")
		case strings.ContainsRune(val, 0):
			v.add(field, "must not contain NUL bytes")
		}
	}
}
