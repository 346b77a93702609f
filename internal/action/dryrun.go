package action

import (
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// dryRun describes what s would do without doing it. Templates are rendered
// and built-ins looked up, so a dry run still finds the mistakes a real run
// would hit. Header values and Env values are not shown: they are where
// tokens live.
func (r *Runner) dryRun(s Spec, d templateData) outcome {
	var desc string
	var err error
	switch s.Type {
	case TypeCommand:
		desc, err = describeCommand(s)
	case TypeHTTP:
		desc, err = describeHTTP(s, d)
	default:
		desc, err = r.describeBuiltin(s)
	}
	return outcome{output: r.clip(desc), err: err}
}

func describeCommand(s Spec) (string, error) {
	if err := findProgram(s); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("would run: " + quoteArgs(s.Command))
	if s.Dir != "" {
		b.WriteString("\nin: " + s.Dir)
	}
	if len(s.Env) > 0 {
		b.WriteString("\nextra env: " + strings.Join(slices.Sorted(maps.Keys(s.Env)), ", "))
	}
	fmt.Fprintf(&b, "\ntimeout: %s", s.timeout())
	return b.String(), nil
}

// findProgram checks that the program exists and is executable, the way
// exec will look for it: in PATH for a bare name, relative to Dir for a
// relative path.
func findProgram(s Spec) error {
	prog := s.Command[0]
	if !filepath.IsAbs(prog) && strings.ContainsRune(prog, filepath.Separator) {
		prog = filepath.Join(s.Dir, prog)
	}
	if _, err := exec.LookPath(prog); err != nil {
		return fmt.Errorf("%w: %w", ErrStart, err)
	}
	return nil
}

func describeHTTP(s Spec, d templateData) (string, error) {
	rr, err := renderHTTP(s, d)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "would send: %s %s\nheaders: %s\ntimeout: %s", rr.method, rr.url,
		strings.Join(slices.Sorted(maps.Keys(rr.header)), ", "), s.timeout())
	if rr.body != "" {
		b.WriteString("\nbody: " + rr.body)
	}
	return b.String(), nil
}

func (r *Runner) describeBuiltin(s Spec) (string, error) {
	if err := r.checkBuiltin(s); err != nil {
		return "", err
	}
	parts := make([]string, 0, len(s.Params))
	for _, k := range slices.Sorted(maps.Keys(s.Params)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, s.Params[k]))
	}
	return fmt.Sprintf("would call built-in %s(%s)\ntimeout: %s", s.Builtin, strings.Join(parts, ", "), s.timeout()), nil
}

// quoteArgs prints argv so that arguments with spaces or quotes stay
// recognisable as single arguments.
func quoteArgs(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\") {
			q[i] = strconv.Quote(a)
		}
	}
	return strings.Join(q, " ")
}
