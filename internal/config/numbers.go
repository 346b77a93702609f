package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The plan writes durations as plain numbers of seconds (the breaker's
// recovery_timeout: 30), and YAML's decoder refuses them for a Go
// duration with a message that names neither the field nor the form
// wanted. So when the strict decode fails on types, the document is read
// once more as a tree, with the configuration's types alongside: a plain
// number where a duration is expected gets its unit ("30" becomes "30s",
// in place, so every line number stays true), and the errors left are
// given the path of the field on their line.

// decode decodes data over the defaults, taking plain numbers where a
// duration is expected as seconds.
func decode(data []byte) (Config, error) {
	cfg := Default()
	err := decodeStrict(data, &cfg)
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return cfg, err
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return cfg, err
	}
	w := walker{paths: map[int]string{}}
	w.walk(&doc, reflect.TypeFor[Config](), "")
	if len(w.patches) > 0 {
		cfg = Default()
		err = decodeStrict(w.apply(data), &cfg)
		if !errors.As(err, &te) {
			return cfg, err
		}
	}
	return cfg, w.annotate(te)
}

// patch is a plain number at a line and column (1-based, in characters)
// that needs the seconds unit.
type patch struct {
	line, col int
	value     string
}

// walker follows a YAML tree and the Go type it decodes into.
type walker struct {
	paths   map[int]string // the deepest field path that starts on each line
	patches []patch
}

var durationType = reflect.TypeFor[time.Duration]()

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			w.walk(c, t, path)
		}
	case yaml.MappingNode:
		w.mapping(n, t, path)
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice {
			return
		}
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			w.paths[c.Line] = p
			w.walk(c, t.Elem(), p)
		}
	case yaml.ScalarNode:
		if t == durationType && n.Style == 0 && (n.Tag == "!!int" || n.Tag == "!!float") {
			w.patches = append(w.patches, patch{n.Line, n.Column, n.Value})
		}
	}
}

func (w *walker) mapping(n *yaml.Node, t reflect.Type, path string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var elem reflect.Type
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByKey(t, k.Value)
			if !ok {
				continue
			}
			elem = f.Type
		case reflect.Map:
			elem = t.Elem()
		default:
			return
		}
		p := strings.TrimPrefix(path+"."+k.Value, ".")
		w.paths[k.Line] = p
		w.walk(v, elem, p)
	}
}

// fieldByKey finds the struct field decoded from YAML key, looking into
// the inlined structs that sections embed from their engines.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" && opts == "inline" && f.Type.Kind() == reflect.Struct {
			if inner, ok := fieldByKey(f.Type, key); ok {
				return inner, true
			}
			continue
		}
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// apply appends "s" to every patched number, last first so earlier
// positions on a line stay valid.
func (w *walker) apply(data []byte) []byte {
	out := slices.Clone(data)
	ps := slices.Clone(w.patches)
	slices.SortFunc(ps, func(a, b patch) int { return (b.line-a.line)*1_000_000 + (b.col - a.col) })
	for _, p := range ps {
		at, ok := offset(out, p.line, p.col)
		if ok && strings.HasPrefix(string(out[at:]), p.value) {
			end := at + len(p.value)
			out = slices.Insert(out, end, 's')
		}
	}
	return out
}

// offset is the byte offset of a 1-based line and character column.
func offset(data []byte, line, col int) (int, bool) {
	at := 0
	for l := 1; l < line; l++ {
		i := slices.Index(data[at:], '\n')
		if i < 0 {
			return 0, false
		}
		at += i + 1
	}
	for c := 1; c < col; c++ {
		if at >= len(data) || data[at] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(data[at:])
		at += size
	}
	return at, at < len(data)
}

var errLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// annotate names the field of each type error and the form a duration
// takes.
func (w *walker) annotate(te *yaml.TypeError) error {
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		m := errLine.FindStringSubmatch(e)
		if m == nil {
			msgs = append(msgs, e)
			continue
		}
		line, _ := strconv.Atoi(m[1])
		msg := "line " + m[1]
		if p, ok := w.paths[line]; ok {
			msg += ", " + p
		}
		msg += ": " + m[2]
		if strings.HasSuffix(m[2], "into time.Duration") {
			msg += ` (want a duration such as "30s" or "1m30s", or a plain number of seconds)`
		}
		msgs = append(msgs, msg)
	}
	return fmt.Errorf("%w: %s", ErrParse, strings.Join(msgs, "; "))
}
