package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// svg accumulates a document in memory, so a chart reaches the writer
// whole or not at all.
type svg struct{ b strings.Builder }

func (s *svg) f(format string, args ...any) {
	fmt.Fprintf(&s.b, format, args...)
	s.b.WriteByte('\n')
}

func (s *svg) open() {
	s.f(`<?xml version="1.0" encoding="UTF-8"?>`)
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		chartW, chartH, chartW, chartH)
	s.f(`<rect width="100%%" height="100%%" fill="#ffffff"/>`)
}

func (s *svg) title(start, end time.Time) {
	s.f(`<text x="%d" y="24" font-size="16" font-weight="bold">Client latency and error rate</text>`, padL)
	s.f(`<text x="%d" y="42" fill="#555555">%s</text>`, padL, esc(windowLabel(start, end)))
}

func (s *svg) text(x, y float64, anchor, body string) {
	s.f(`<text x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x, y, anchor, esc(body))
}

// path draws one series; an empty series is still written, so that the
// document always has the same elements.
func (s *svg) path(class, colour, dash, d string) {
	if dash != "" {
		dash = ` stroke-dasharray="` + dash + `"`
	}
	s.f(`<path class="%s" d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"%s/>`, class, d, colour, dash)
}

func (s *svg) close() { s.f(`</svg>`) }

func (s *svg) flush(w io.Writer) error {
	if _, err := io.WriteString(w, s.b.String()); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// esc escapes text for XML content and attributes.
func esc(v string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(v)) // a strings.Builder never fails
	return b.String()
}
