package sim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ovIssue is one entry of OpenViking's error.details.validation_errors, the
// shape its RequestValidationError handler (openviking/server/app.py,
// request_validation_error_handler) turns pydantic's errors into.
type ovIssue struct {
	Loc     []string `json:"loc"`
	Message string   `json:"message"`
	Type    string   `json:"type"`
}

// invalidRequest answers like OpenViking does for a request its models
// refuse: 400 INVALID_ARGUMENT (never FastAPI's 422), a message naming the
// first problem and every problem in details.
func invalidRequest(issues ...ovIssue) *apiError {
	first := issues[0]
	return &apiError{
		status:  http.StatusBadRequest,
		code:    "INVALID_ARGUMENT",
		msg:     "Invalid request parameters: " + strings.Join(first.Loc, ".") + ": " + first.Message,
		details: map[string]any{"validation_errors": issues},
	}
}

// valueError is a pydantic model validator's complaint about the whole body.
func valueError(msg string) *apiError {
	return invalidRequest(ovIssue{Loc: []string{"body"}, Message: "Value error, " + msg, Type: "value_error"})
}

// fieldIssue is a complaint about one body field.
func fieldIssue(field, typ, msg string) *apiError {
	return invalidRequest(ovIssue{Loc: []string{"body", field}, Message: msg, Type: typ})
}

// decodeModel reads a JSON body into v the way a pydantic model with
// extra="forbid" does: the body must be an object, every key must be a
// field of v (its json tags), and every value must fit its field's type.
// Fields that take several types are json.RawMessage in v and are checked
// by the caller. An empty body is refused unless optional.
func decodeModel(r *http.Request, v any, optional bool) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return newAPIError(http.StatusBadRequest, "reading the request body: "+err.Error())
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		if optional {
			return nil
		}
		return invalidRequest(ovIssue{Loc: []string{"body"}, Message: "Field required", Type: "missing"})
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return bodyShapeError(err)
	}
	if extra := unknownKeys(fields, v); len(extra) > 0 {
		issues := make([]ovIssue, len(extra))
		for i, k := range extra {
			issues[i] = ovIssue{Loc: []string{"body", k}, Message: "Extra inputs are not permitted", Type: "extra_forbidden"}
		}
		return invalidRequest(issues...)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return typeIssue(err)
	}
	return nil
}

// bodyShapeError tells invalid JSON from valid JSON that is not an object.
func bodyShapeError(err error) *apiError {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return invalidRequest(ovIssue{Loc: []string{"body", strconv.FormatInt(syntax.Offset, 10)},
			Message: "JSON decode error", Type: "json_invalid"})
	}
	return invalidRequest(ovIssue{Loc: []string{"body"}, Type: "model_attributes_type",
		Message: "Input should be a valid dictionary or object to extract fields from"})
}

// unknownKeys lists the keys of fields that v has no json tag for, sorted.
func unknownKeys(fields map[string]json.RawMessage, v any) []string {
	known := map[string]bool{}
	jsonNames(reflect.TypeOf(v).Elem(), known)
	var extra []string
	for k := range fields {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return extra
}

// jsonNames adds the json names of t's fields to known, embedded structs' included.
func jsonNames(t reflect.Type, known map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			jsonNames(f.Type, known)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		known[name] = true
	}
}

// pydanticTypes names a Go kind the way pydantic's type errors do.
var pydanticTypes = map[reflect.Kind][2]string{
	reflect.String:  {"string_type", "Input should be a valid string"},
	reflect.Int:     {"int_type", "Input should be a valid integer"},
	reflect.Float64: {"float_type", "Input should be a valid number"},
	reflect.Bool:    {"bool_type", "Input should be a valid boolean"},
	reflect.Slice:   {"list_type", "Input should be a valid list"},
	reflect.Map:     {"dict_type", "Input should be a valid dictionary"},
}

// typeIssue turns a decoding error into the field's pydantic type error.
func typeIssue(err error) *apiError {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return fieldIssue("", "value_error", err.Error())
	}
	kind := te.Type.Kind()
	if kind == reflect.Pointer {
		kind = te.Type.Elem().Kind()
	}
	names, ok := pydanticTypes[kind]
	if !ok {
		names = [2]string{"value_error", "Input has the wrong type"}
	}
	field, _, _ := strings.Cut(te.Field, ".")
	return fieldIssue(field, names[0], names[1])
}
