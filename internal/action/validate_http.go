package action

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// methods are the HTTP methods an action may use.
var methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions,
}

func (v *validator) http(s Spec) {
	if s.Method != "" && !slices.Contains(methods, strings.ToUpper(s.Method)) {
		v.add("method", "must be one of %s, got %q", strings.Join(methods, ", "), s.Method)
	}
	for name := range s.Headers {
		if !isToken(name) {
			v.add("headers", "invalid header name %q", name)
		}
	}
	for _, code := range s.ExpectStatus {
		if code < 100 || code > 599 {
			v.add("expect_status", "codes must be between 100 and 599, got %d", code)
		}
	}
	if strings.TrimSpace(s.URL) == "" {
		v.add("url", "required")
		return
	}
	v.templates(s)
}

// templates parses every template and renders it with a sample Context, so
// execution errors (unknown fields) surface now, and checks the sample URL.
func (v *validator) templates(s Spec) {
	tpl, err := compileHTTP(s)
	if err != nil {
		v.addErr(err)
		return
	}
	req, err := tpl.render(sampleData(s.Name))
	if err != nil {
		v.addErr(err)
		return
	}
	if err := checkURL(req.url); err != nil {
		v.add("url", "%v", err)
	}
}

// checkURL accepts absolute http and https URLs with a host. It runs on the
// sample at validation and again on the real rendering at run time.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("scheme must be http or https, got %q in %q", u.Scheme, raw)
	case u.Host == "":
		return fmt.Errorf("missing host in %q", raw)
	}
	return nil
}

// isToken reports whether s is a valid HTTP header name (RFC 9110 token).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r >= 0x80 || !tokenChar(byte(r)) {
			return false
		}
	}
	return true
}

func tokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func indexField(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
