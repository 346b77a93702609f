package event

import (
	"context"
	"log/slog"
)

var _ Sink = Log{}

// Log writes events to a logger at a level matching their severity: info,
// warnings as warn, critical events as errors. Each line carries the
// event's kind, source and fields as attributes.
type Log struct {
	// Logger receives the lines. Required.
	Logger *slog.Logger
}

// Emit writes e as one log line.
func (l Log) Emit(e Event) {
	level := slog.LevelInfo
	switch e.Severity {
	case Warning:
		level = slog.LevelWarn
	case Critical:
		level = slog.LevelError
	}
	attrs := make([]slog.Attr, 0, len(e.Fields)+2)
	attrs = append(attrs, slog.String("kind", e.Kind), slog.String("source", e.Source))
	for k, v := range e.Fields {
		attrs = append(attrs, slog.Any(k, v))
	}
	l.Logger.LogAttrs(context.Background(), level, e.Message, attrs...)
}
