package envelope

import (
	"encoding/json"
	"math"
	"strconv"
)

// Envelope is either shape as a reader decodes it: Result is set on
// success, Error on failure. Writers use AppendOK and AppendError instead,
// which give each shape exactly its own fields.
type Envelope struct {
	Status string          `json:"status"`
	Result json.RawMessage `json:"result"`
	Error  Detail          `json:"error"`
	Time   float64         `json:"time"`
}

// Detail is the error envelope's "error" object.
type Detail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// AppendOK appends the success envelope to dst. result is the JSON value
// already encoded, so callers choose their encoder (the translator's jq
// values are not encoding/json's); nil or empty is null. seconds is "time".
func AppendOK(dst, result []byte, seconds float64) []byte {
	dst = append(dst, `{"status":"ok","result":`...)
	if len(result) == 0 {
		dst = append(dst, "null"...)
	}
	dst = append(dst, result...)
	return appendTime(dst, seconds)
}

// AppendError appends the error envelope to dst; seconds is "time".
func AppendError(dst []byte, code, message string, seconds float64) []byte {
	dst = append(dst, `{"status":"error","error":{"code":`...)
	dst = appendString(dst, code)
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, message)
	dst = append(dst, '}')
	return appendTime(dst, seconds)
}

// ErrorBodyDetails is the error envelope with OpenViking's optional
// "details" object (validation errors list their fields there). details
// must encode as JSON; nil leaves the key out.
func ErrorBodyDetails(code, message string, details any, seconds float64) []byte {
	if details == nil {
		return ErrorBody(code, message, seconds)
	}
	d, err := json.Marshal(details)
	if err != nil {
		return ErrorBody(code, message, seconds)
	}
	dst := append(make([]byte, 0, 80+len(code)+len(message)+len(d)), `{"status":"error","error":{"code":`...)
	dst = appendString(dst, code)
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, message)
	dst = append(dst, `,"details":`...)
	dst = append(dst, d...)
	dst = append(dst, '}')
	return appendTime(dst, seconds)
}

// ErrorBody is the error envelope as a new slice.
func ErrorBody(code, message string, seconds float64) []byte {
	return AppendError(make([]byte, 0, 64+len(code)+len(message)), code, message, seconds)
}

func appendTime(dst []byte, seconds float64) []byte {
	dst = append(dst, `,"time":`...)
	dst = appendFloat(dst, seconds)
	return append(dst, '}')
}

// appendFloat formats f as encoding/json does: plain decimals, exponents
// only for very small or very large values, and 0 for what JSON cannot
// carry (NaN and the infinities, which json.Marshal refuses).
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// Like encoding/json, write e-07 as e-7.
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// appendString appends s as a JSON string. Plain ASCII, quotes and
// backslashes included, is escaped here without allocating; anything else
// (control characters, HTML's <, > and &, non-ASCII) goes through
// encoding/json, so the bytes are always its own.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}
