package admin

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// What a diagnostics bundle carries besides status and configuration.
const (
	// diagIncidents is how many of the newest incidents it carries whole.
	diagIncidents = 20
	// diagHistory is how far back its metric history reaches.
	diagHistory = time.Hour
)

// redactedText stands in for a scrubbed secret, as config.Secret prints.
const redactedText = "<redacted>"

// diagnostics is the plan's collect_diagnostics: a tar.gz of status.json
// (the /status document), config.yaml (the effective configuration,
// secrets redacted), events.json and log.jsonl (the recent events, which
// are Lifeboat's own log), incidents.json (the newest incidents with their
// timelines), history.json (the last hour of samples) and manifest.json,
// which lists the files and anything that could not be collected. Every
// file is gathered before the first byte is sent, so a part that fails is
// reported in the manifest instead of cutting the archive short.
func (a *API) diagnostics(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	now := a.o.Now().UTC()
	ctx, cancel := a.incidentCtx(r, false)
	b := a.gather(ctx, now)
	cancel()
	dir := "lifeboat-diagnostics-" + now.Format("20060102-150405")
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+dir+`.tar.gz"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_ = b.write(w, dir, now) // a client that hung up gets nothing either way
	return nil
}

// bundle is the files of an archive, each scrubbed of secrets as added.
type bundle struct {
	files    []bundleFile
	problems []string
	scrub    *strings.Replacer
}

type bundleFile struct {
	name string
	data []byte
}

func (a *API) gather(ctx context.Context, now time.Time) *bundle {
	b := &bundle{scrub: scrubber(append([]string{a.o.Token}, a.o.Secrets...))}
	if a.o.Status != nil {
		b.addJSON("status.json", a.statusDocument(now))
	} else {
		b.problem("status.json", "this gateway serves no /status")
	}
	if a.o.Config != nil {
		b.add("config.yaml", a.o.Config)
	} else {
		b.problem("config.yaml", "no configuration was given to the admin API")
	}
	b.addEvents(a.recentEvents())
	if a.o.Incidents == nil {
		b.problem("incidents.json, history.json", errIncidentsOff.Error())
		return b
	}
	b.addIncidents(ctx, a.o.Incidents.Records)
	samples, err := a.o.Incidents.History.Range(ctx, now.Add(-diagHistory), now)
	b.addOrFail("history.json", samples, err)
	return b
}

func (a *API) recentEvents() []event.Event {
	if a.o.Status == nil || a.o.Status.Events == nil {
		return nil
	}
	return a.o.Status.Events.Recent(1 << 20)
}

// addEvents writes the recent events twice: as one JSON document, and as
// a log with one event per line, the form log tools read.
func (b *bundle) addEvents(events []event.Event) {
	if events == nil {
		events = []event.Event{}
	}
	b.addJSON("events.json", events)
	var log strings.Builder
	for _, e := range events {
		line, err := json.Marshal(e)
		if err != nil {
			b.problem("log.jsonl", err.Error())
			continue
		}
		log.Write(line)
		log.WriteByte('\n')
	}
	b.add("log.jsonl", []byte(log.String()))
}

// addIncidents adds the newest incidents with their timelines, checklists,
// artifacts and metrics.
func (b *bundle) addIncidents(ctx context.Context, rec IncidentRecords) {
	list, err := rec.List(ctx, diagIncidents)
	if err != nil {
		b.problem("incidents.json", err.Error())
		return
	}
	full := make([]incident.Incident, 0, len(list))
	for _, s := range list {
		inc, err := rec.Get(ctx, s.ID)
		if err != nil {
			b.problem("incidents.json", fmt.Sprintf("incident %s: %v", s.ID, err))
			inc = s
		}
		full = append(full, inc)
	}
	b.addJSON("incidents.json", full)
}

func (b *bundle) addOrFail(name string, v any, err error) {
	if err != nil {
		b.problem(name, err.Error())
		return
	}
	b.addJSON(name, v)
}

func (b *bundle) addJSON(name string, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		b.problem(name, err.Error())
		return
	}
	b.add(name, append(data, '\n'))
}

func (b *bundle) add(name string, data []byte) {
	b.files = append(b.files, bundleFile{name, []byte(b.scrub.Replace(string(data)))})
}

func (b *bundle) problem(name, msg string) {
	b.problems = append(b.problems, b.scrub.Replace(name+": "+msg))
}

// manifest lists what the archive holds and what it lacks.
func (b *bundle) manifest(now time.Time) []byte {
	names := make([]string, len(b.files))
	for i, f := range b.files {
		names[i] = f.name
	}
	problems := b.problems
	if problems == nil {
		problems = []string{}
	}
	data, _ := json.MarshalIndent(map[string]any{ // strings and a time always encode
		"created_at": now, "files": names, "problems": problems,
	}, "", "  ")
	return append(data, '\n')
}

// write streams the archive: the manifest first, then the files, under
// one directory.
func (b *bundle) write(w http.ResponseWriter, dir string, now time.Time) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	files := append([]bundleFile{{"manifest.json", b.manifest(now)}}, b.files...)
	for _, f := range files {
		hdr := &tar.Header{Name: dir + "/" + f.name, Mode: 0o600, Size: int64(len(f.data)),
			ModTime: now, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// scrubber replaces each secret, as written and as JSON escapes it, with
// the redaction marker; longer secrets first, so one that contains
// another is replaced whole.
func scrubber(secrets []string) *strings.Replacer {
	secrets = slices.DeleteFunc(slices.Clone(secrets), func(s string) bool { return s == "" })
	slices.SortFunc(secrets, func(x, y string) int { return len(y) - len(x) })
	var pairs []string
	for _, s := range secrets {
		pairs = append(pairs, s, redactedText)
		if esc := jsonEscaped(s); esc != s {
			pairs = append(pairs, esc, redactedText)
		}
	}
	return strings.NewReplacer(pairs...)
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	data, _ := json.Marshal(s) // a string always encodes
	return string(data[1 : len(data)-1])
}
