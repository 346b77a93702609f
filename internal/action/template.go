package action

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"text/template"
)

// escapeFunc is the function appended to every printing action of a body
// template. Its name starts with an underscore so it cannot clash with a
// function an operator expects.
const escapeFunc = "_jsonEscape"

// templateFuncs are available to every template. text/template already
// provides urlquery, printf and the like.
var templateFuncs = template.FuncMap{
	"json":     jsonValue,
	escapeFunc: jsonEscape,
}

// jsonValue renders v as a complete JSON value, quotes included. HTML
// characters are kept as they are: the receiver is a JSON API, not a page,
// and "35% > 20%" reads better than "35% \u003e 20%".
func jsonValue(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// jsonEscape renders v as the inside of a JSON string, without quotes, so
// a Reason with quotes or newlines cannot break out of "{{.Reason}}".
func jsonEscape(v any) string {
	s, _ := jsonValue(fmt.Sprint(v)) // encoding a string cannot fail
	return s[1 : len(s)-1]
}

// httpTemplates are the parsed templates of one HTTP action.
type httpTemplates struct {
	method  string
	url     *template.Template
	headers map[string]*template.Template
	body    *template.Template
}

// renderedRequest is an HTTP action with its templates filled in.
type renderedRequest struct {
	method string
	url    string
	header http.Header
	body   string
}

// compileHTTP parses the URL, header and body templates of s. Errors are
// field errors naming the template's field.
func compileHTTP(s Spec) (*httpTemplates, error) {
	v := &validator{action: s.Name}
	t := &httpTemplates{method: s.method(), headers: make(map[string]*template.Template, len(s.Headers))}
	t.url = v.parse("url", s.URL, false)
	for name, val := range s.Headers {
		t.headers[name] = v.parse("headers."+name, val.Reveal(), false)
	}
	t.body = v.parse("body", s.Body, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// parse parses one template; jsonBody turns on JSON escaping of its output.
func (v *validator) parse(field, text string, jsonBody bool) *template.Template {
	t, err := template.New(field).Funcs(templateFuncs).Option("missingkey=zero").Parse(text)
	if err != nil {
		v.add(field, "template: %v", err)
		return nil
	}
	if jsonBody {
		escapeJSON(t)
	}
	return t
}

// render fills every template with d.
func (t *httpTemplates) render(d templateData) (renderedRequest, error) {
	r := renderedRequest{method: t.method, header: make(http.Header, len(t.headers)+1)}
	var err error
	if r.url, err = execute("url", t.url, d); err != nil {
		return r, err
	}
	for _, name := range slices.Sorted(maps.Keys(t.headers)) {
		val, err := execute("headers."+name, t.headers[name], d)
		if err != nil {
			return r, err
		}
		r.header.Set(name, oneLine(val))
	}
	r.body, err = execute("body", t.body, d)
	return r, err
}

func execute(field string, t *template.Template, d templateData) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", fieldError(d.Action, field, "template: %v", err)
	}
	return b.String(), nil
}

// oneLine replaces line breaks, which net/http refuses in header values;
// an alert must not fail because the Reason spans two lines.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}
