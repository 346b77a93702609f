package app

import (
	"context"
	"log/slog"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// logSink writes events to the log at a level matching their severity.
type logSink struct{ log *slog.Logger }

func (l logSink) Emit(e event.Event) {
	level := slog.LevelInfo
	switch e.Severity {
	case event.Warning:
		level = slog.LevelWarn
	case event.Critical:
		level = slog.LevelError
	}
	attrs := make([]slog.Attr, 0, len(e.Fields)+2)
	attrs = append(attrs, slog.String("kind", e.Kind), slog.String("source", e.Source))
	for k, v := range e.Fields {
		attrs = append(attrs, slog.Any(k, v))
	}
	l.log.LogAttrs(context.Background(), level, e.Message, attrs...)
}
