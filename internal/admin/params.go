package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// The helpers below read the path, the query and the less common body
// fields of the incident calls, each refusal naming its field.

// idOf reads the incident ID from the path.
func idOf(r *http.Request) (string, error) {
	id := r.PathValue("id")
	switch {
	case id == "" || len(id) > maxIDLength:
		return "", bad("id", "must be 1 to %d bytes, got %d", maxIDLength, len(id))
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return "", bad("id", "must not contain control characters")
	}
	return id, nil
}

// nameOf checks a required person's name.
func nameOf(field string, v *string) (string, error) {
	if v == nil {
		return "", bad(field, "is required: name who does it")
	}
	s := strings.TrimSpace(*v)
	switch {
	case s == "":
		return "", bad(field, "must not be blank")
	case len(s) > maxByLength:
		return "", bad(field, "must be at most %d bytes, got %d", maxByLength, len(s))
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", bad(field, "must not contain control characters")
	}
	return s, nil
}

// query returns the URL's parameters, refusing any not allowed and any
// given twice, as decode refuses unknown fields.
func query(r *http.Request, allowed ...string) (map[string]string, error) {
	raw, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for key, vals := range raw {
		if !contains(allowed, key) {
			return nil, bad(key, "unknown parameter")
		}
		if len(vals) > 1 {
			return nil, bad(key, "must be given once, got %d times", len(vals))
		}
		out[key] = vals[0]
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// intParam reads an optional whole number within [lo, hi].
func intParam(v, field string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, bad(field, "must be a whole number between %d and %d, got %q", lo, hi, v)
	}
	return n, nil
}

// itemRef reads a checklist item given as its text or its 1-based
// position, the two forms incident.Recorder.Tick takes.
func itemRef(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", bad("item", "is required: the item's text or its 1-based position")
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		if strings.TrimSpace(text) == "" || len(text) > maxByLength {
			return "", bad("item", "must be the item's text (1 to %d bytes)", maxByLength)
		}
		return text, nil
	}
	var pos int
	if err := json.Unmarshal(raw, &pos); err != nil || pos < 1 {
		return "", bad("item", "must be the item's text or its 1-based position, got %s", raw)
	}
	return strconv.Itoa(pos), nil
}

func parseQuery(raw string) (map[string][]string, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, bad("query", "cannot be parsed: %v", err)
	}
	return q, nil
}
