package sim

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// validationIssue is one entry of FastAPI's 422 "detail" list.
type validationIssue struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// unprocessable is FastAPI's answer to a request that fails validation.
func unprocessable(issues ...validationIssue) *httpError {
	return &httpError{status: http.StatusUnprocessableEntity, detail: issues}
}

func missingField(field string) validationIssue {
	return validationIssue{Type: "missing", Loc: []any{"body", field}, Msg: "Field required", Input: map[string]any{}}
}

func tooShort(field, input string, minLen int) validationIssue {
	return validationIssue{
		Type: "string_too_short", Loc: []any{"body", field}, Input: input,
		Msg: "String should have at least " + itoa(minLen) + " character" + plural(minLen),
		Ctx: map[string]any{"min_length": minLen},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// decodeFastAPI reads a JSON body and reports problems the way FastAPI
// does: a 422 with the location of the problem.
func decodeFastAPI(r *http.Request, v any) error {
	err := decodeJSON(r, v, false)
	if err == nil {
		return nil
	}
	if errors.Is(err, errEmptyBody) {
		return unprocessable(validationIssue{Type: "missing", Loc: []any{"body"}, Msg: "Field required"})
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return unprocessable(validationIssue{
			Type: typeErr.Type.Kind().String() + "_type", Loc: []any{"body", typeErr.Field},
			Msg: "Input should be a valid " + typeErr.Type.Kind().String(), Input: typeErr.Value,
		})
	}
	return unprocessable(validationIssue{
		Type: "json_invalid", Loc: []any{"body", 0}, Msg: "JSON decode error",
		Input: map[string]any{}, Ctx: map[string]any{"error": err.Error()},
	})
}
