package message

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Part is one part of a message, kept as the client sent it so no field
// is lost on the way (the server knows more part fields than Lifeboat
// needs to, and adds new ones).
type Part map[string]any

// Part types the server accepts (openviking/message/part.py
// part_from_dict); a part without a type is text.
const (
	PartText    = "text"
	PartContext = "context"
	PartTool    = "tool"
	PartImage   = "image_url"
)

func (p Part) kind() string {
	if t, ok := p["type"].(string); ok {
		return t
	}
	return PartText
}

func (p Part) str(key string) string {
	s, _ := p[key].(string)
	return s
}

func (p Part) validate() error {
	switch p.kind() {
	case PartText, PartContext, PartTool:
		return nil
	case PartImage:
		if imageURL(p) == "" {
			return errors.New("image_url part requires a non-empty URL")
		}
		return nil
	}
	return fmt.Errorf("unknown part type %q", p.kind())
}

// imageURL reads image_url as a string or as {"url": …}.
func imageURL(p Part) string {
	switch v := p["image_url"].(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["url"].(string)
		return s
	}
	return ""
}

// UnmarshalJSON accepts a part that is not an object the way the server
// does: as a text part holding its text (part_request_to_part's
// TextPart(text=str(raw_part))).
func (p *Part) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err == nil && m != nil {
		*p = m
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		s = string(b)
	}
	*p = Part{"type": PartText, "text": s}
	return nil
}

// Text is the message's quick-access content: its first text part, as
// Message.content does it.
func Text(parts []Part) string {
	for _, p := range parts {
		if p.kind() == PartText {
			return p.str("text")
		}
	}
	return ""
}
