// Package translate lets a LightRAG server stand in for OpenViking.
//
// While traffic is on the fallback, the gateway sends OpenViking requests
// through a Translator, an http.RoundTripper. Each request is matched
// against Rules in order; the first match turns the OpenViking call into a
// fallback call with one jq program (Request) and the fallback's answer back
// into OpenViking's result with another (Response). Answers are wrapped in
// OpenViking's envelope unless the rule is Raw, and fallback errors are
// mapped onto OpenViking's error codes, so clients keep speaking one API.
//
// Translations are configuration, not code: Builtin returns the profile for
// OpenViking -> LightRAG, and operators may put rules of their own before it.
// Every program is compiled once, in New; a request costs one JSON decode of
// its body, one run of each program and one decode of the fallback's answer.
package translate
