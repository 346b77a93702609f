package notify

import (
	"net/url"
	"strings"
)

const redacted = "<redacted>"

// redactURL shows where a request went without the parts that carry
// secrets: Slack and webhook URLs hold their token in the path or query,
// and user info is a password.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return redacted + " URL"
	}
	out := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		out += "/" + redacted
	}
	return out
}

// urlSecrets lists the parts of raw that must not appear in text.
func urlSecrets(raw string) []string {
	s := []string{raw}
	if u, err := url.Parse(raw); err == nil {
		s = append(s, u.EscapedPath(), u.Path, u.RawQuery, u.User.String())
	}
	return s
}

// scrub replaces every secret in text. Secrets shorter than four bytes
// are skipped: a path of "/" is no secret, and replacing it would mangle
// the text.
func scrub(text string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			text = strings.ReplaceAll(text, s, redacted)
		}
	}
	return text
}

// redactedError carries scrubbed text and the sentinel errors it matches,
// but never the original error, whose text (a *url.Error) holds the URL.
type redactedError struct {
	msg  string
	errs []error
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.errs }
