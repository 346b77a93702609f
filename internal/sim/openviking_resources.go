package sim

import (
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// addResourceRequest is OpenViking's AddResourceRequest
// (openviking/server/routers/resources.py) with extra="forbid". Fields the
// simulator accepts without acting on are kept so they are not refused.
type addResourceRequest struct {
	Path                *string        `json:"path"`
	TempFileID          *string        `json:"temp_file_id"`
	AddType             *string        `json:"add_type"`
	To                  *string        `json:"to"`
	Parent              *string        `json:"parent"`
	CreateParent        bool           `json:"create_parent"`
	Reason              string         `json:"reason"`
	Instruction         string         `json:"instruction"`
	Wait                bool           `json:"wait"`
	Timeout             *float64       `json:"timeout"`
	Strict              bool           `json:"strict"`
	SourceName          *string        `json:"source_name"`
	IgnoreDirs          *string        `json:"ignore_dirs"`
	Include             *string        `json:"include"`
	Exclude             *string        `json:"exclude"`
	DirectlyUploadMedia *bool          `json:"directly_upload_media"`
	PreserveStructure   *bool          `json:"preserve_structure"`
	Args                map[string]any `json:"args"`
	Telemetry           any            `json:"telemetry"`
	WatchInterval       float64        `json:"watch_interval"`
	ProcessingMode      *string        `json:"processing_mode"`
	Tags                []string       `json:"tags"`
	TagMode             *string        `json:"tag_mode"`
}

// remoteSources are the prefixes OpenViking's HTTP server accepts in path
// (openviking/server/local_input_guard.py, _REMOTE_SOURCE_PREFIXES).
var remoteSources = []string{"http://", "https://", "git@", "ssh://", "git://", "tos://"}

// validate applies the model validators (check_path_or_temp_file_id,
// check_add_type) in their order.
func (q *addResourceRequest) validate() error {
	addType := strings.TrimSpace(deref(q.AddType))
	switch {
	case deref(q.Path) == "" && deref(q.TempFileID) == "":
		return valueError("Either 'path' or 'temp_file_id' must be provided")
	case addType != "" && deref(q.TempFileID) != "":
		return valueError("'add_type' cannot be combined with 'temp_file_id'")
	case addType != "" && deref(q.Path) == "":
		return valueError("'add_type' requires 'path'")
	case addType != "" && deref(q.Parent) != "":
		return valueError("'add_type' cannot be combined with 'parent'")
	case addType != "" && deref(q.To) == "":
		return valueError("'add_type' requires an exact 'to' target")
	}
	return nil
}

// addResource serves POST /api/v1/resources. The resource is imported at
// once and becomes searchable and readable: an uploaded file with its own
// text, a remote source (never fetched) with its address and reason.
func (o *OpenViking) addResource(r *http.Request) (any, error) {
	var req addResourceRequest
	user, err := userOf(r)
	if err == nil {
		err = decodeModel(r, &req, false)
	}
	if err == nil {
		err = req.validate()
	}
	if err == nil { // the router checks the targets before the source
		err = checkTargets(&req, user)
	}
	if err != nil {
		return nil, err
	}
	doc, source, err := o.resourceDocument(&req)
	if err != nil {
		return nil, err
	}
	doc.URI = resourceRoot(&req, doc.Title)
	doc.Title = path.Base(doc.URI)
	o.index.put(doc)
	return map[string]any{"status": "success", "errors": []string{}, "source_path": source,
		"meta": map[string]any{}, "root_uri": doc.URI}, nil
}

// resourceDocument is what the resource holds; its Title is the name the
// resource is filed under unless the request says where.
func (o *OpenViking) resourceDocument(req *addResourceRequest) (Document, string, error) {
	if id := deref(req.TempFileID); id != "" {
		if req.WatchInterval > 0 {
			return Document{}, "", errInvalidArgument("watch_interval > 0 is not supported for uploaded content")
		}
		u, ok := o.uploads.take(id)
		if !ok {
			return Document{}, "", newAPIError(http.StatusForbidden, "HTTP server only accepts regular files from the upload temp directory.")
		}
		name := valueOr(deref(req.SourceName), u.name)
		return Document{Level: 2, Title: valueOr(name, id), Text: uploadText(u), Tags: req.Tags}, name, nil
	}
	src := deref(req.Path)
	if !hasAnyPrefix(src, remoteSources) && strings.TrimSpace(deref(req.AddType)) == "" {
		return Document{}, "", newAPIError(http.StatusForbidden, "HTTP server only accepts remote resource URLs or "+
			"temp-uploaded files; direct host filesystem paths are not allowed.")
	}
	abstract := valueOr(req.Reason, "Resource imported from "+src)
	return Document{Level: 2, Title: valueOr(deref(req.SourceName), src), Abstract: abstract,
		Text: src + "\n" + req.Reason, Tags: req.Tags}, src, nil
}

// uploadText is an upload's content as text; binary files are named only.
func uploadText(u upload) string {
	if utf8.Valid(u.data) {
		return string(u.data)
	}
	return "Binary file " + u.name
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// checkTargets requires to and parent, when given, to be resource URIs
// (validate_content_target_uri, kind="resource"), and not both.
func checkTargets(req *addResourceRequest, user string) error {
	to, parent := strings.TrimSpace(deref(req.To)), strings.TrimSpace(deref(req.Parent))
	if to != "" && parent != "" {
		return errInvalidArgument("Cannot specify both 'to' and 'parent' at the same time.")
	}
	for _, target := range []string{to, parent} {
		if target == "" {
			continue
		}
		resolved, err := resolveURI(target, user)
		if err != nil {
			return err
		}
		if !under(resolved, "viking://resources") {
			return invalidURI(target, "to or parent must target resource content")
		}
	}
	return nil
}

// resourceRoot is where a resource lands: to; else under parent, or under
// viking://resources/, by its name without the extension.
func resourceRoot(req *addResourceRequest, name string) string {
	if to := strings.TrimSpace(deref(req.To)); to != "" {
		return to
	}
	base := strings.TrimSuffix(path.Base(strings.TrimRight(name, "/")), path.Ext(name))
	return strings.TrimSuffix(valueOr(strings.TrimSpace(deref(req.Parent)), "viking://resources"), "/") + "/" + base
}
