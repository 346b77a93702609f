package message

import (
	"encoding/json"
	"math"
	"strings"
)

// Tokens estimates a message's tokens from its parts as the server's
// Message.estimated_tokens does: text, a context part's abstract, and a
// tool part's id, name, input (as JSON) and output, counted by
// EstimateText over their concatenation.
func Tokens(parts []Part) int {
	var b strings.Builder
	for _, p := range parts {
		switch p.kind() {
		case PartText:
			b.WriteString(p.str("text"))
		case PartContext:
			b.WriteString(p.str("abstract"))
		case PartTool:
			b.WriteString(p.str("tool_id"))
			b.WriteString(p.str("tool_name"))
			if in, ok := p["tool_input"].(map[string]any); ok && len(in) > 0 {
				j, _ := json.Marshal(in) // decoded JSON always encodes
				b.Write(j)
			}
			b.WriteString(p.str("tool_output"))
		}
	}
	return EstimateText(b.String())
}

// EstimateText is estimate_text_tokens: a quarter token per character,
// one and a half per CJK character, two per character outside the basic
// plane, rounded up.
func EstimateText(s string) int {
	w := 0.0
	for _, r := range s {
		w += weight(r)
	}
	return int(math.Ceil(w))
}

func weight(r rune) float64 {
	switch {
	case cjk(r):
		return 1.5
	case r > 0xFFFF:
		return 2
	}
	return 0.25
}

// cjk lists the server's CJK ranges (_is_cjk_code_point).
func cjk(r rune) bool {
	for _, rg := range cjkRanges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

var cjkRanges = [...][2]rune{
	{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2EBEF},
	{0x3040, 0x30FF}, {0x31F0, 0x31FF}, {0xAC00, 0xD7AF}, {0x1100, 0x11FF},
	{0x3130, 0x318F}, {0xFF00, 0xFFEF}, {0x3000, 0x303F},
}
