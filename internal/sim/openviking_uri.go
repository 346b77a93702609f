package sim

import (
	"net/http"
	"strings"
)

// ovScopes are the scopes OpenViking's public API accepts in a viking://
// URI (openviking/core/uri_validation.py, validate_viking_uri: the public,
// legacy and alias scopes); "~" is the caller's own user root.
var ovScopes = map[string]bool{"resources": true, "user": true, "agent": true, "session": true, "~": true}

// invalidURI is OpenViking's InvalidURIError: 400 INVALID_URI with the URI
// and the reason in details (openviking_cli/exceptions.py).
func invalidURI(uri, reason string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "INVALID_URI",
		msg: "Invalid URI: " + uri + " (" + reason + ")", details: map[string]any{"uri": uri, "reason": reason}}
}

// notFound is OpenViking's NotFoundError for a resource of kind ("file",
// "directory"): "File not found: <uri>" with the URI in details.
func notFound(uri, kind string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "NOT_FOUND",
		msg:     strings.ToUpper(kind[:1]) + kind[1:] + " not found: " + uri,
		details: map[string]any{"type": kind, "resource": uri}}
}

// resolveURI validates a caller's viking:// URI and expands the "~" alias
// to the caller's user root, as validate_request_viking_uri does.
func resolveURI(uri, user string) (string, error) {
	raw := strings.TrimSpace(uri)
	if raw == "" {
		return "", invalidURI(uri, "uri must not be empty")
	}
	rest, ok := strings.CutPrefix(raw, "viking://")
	if !ok {
		return "", invalidURI(raw, "URI must start with 'viking://'")
	}
	scope, tail, _ := strings.Cut(rest, "/")
	if scope != "" && !ovScopes[scope] {
		return "", invalidURI(raw, "Invalid scope '"+scope+"'. Must be one of: agent, resources, session, user")
	}
	if scope == "~" {
		return strings.TrimSuffix("viking://user/"+user+"/"+tail, "/"), nil
	}
	return raw, nil
}

// under reports whether uri is dir or lies below it.
func under(uri, dir string) bool {
	dir = strings.TrimSuffix(dir, "/")
	return uri == dir || strings.HasPrefix(uri, dir+"/")
}
