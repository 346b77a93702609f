package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// JSON writes the same report as Markdown, as one indented JSON object
// with the field names of Report.
func JSON(w io.Writer, inc incident.Incident, samples []history.Sample) error {
	return writeJSON(w, Build(inc, samples))
}

func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrEncode, err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}
