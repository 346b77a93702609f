package sim

import (
	"github.com/lifeboat-sre/lifeboat/internal/lines"
	"net/http"
	"strconv"
	"strings"
)

// readContent serves GET /api/v1/content/read?uri=…&offset=…&limit=…
// (openviking/server/routers/content.py, read): a document's text as the
// result string, sliced by lines when offset or limit is given, as
// FSService.read does. Anything that is not a document is NOT_FOUND.
func (o *OpenViking) readContent(r *http.Request) (any, error) {
	user, uri, err := contentURI(r)
	if err != nil {
		return nil, err
	}
	offset, err := intQuery(r, "offset", 0)
	if err != nil {
		return nil, err
	}
	limit, err := intQuery(r, "limit", -1)
	if err != nil {
		return nil, err
	}
	d, ok := o.index.get(uri)
	if !ok || !visibleTo(user, d) {
		return nil, notFound(uri, "file")
	}
	return lines.Slice(d.Text, offset, limit), nil
}

// abstractOf serves GET /api/v1/content/abstract?uri=… with a document's
// abstract, or for a directory a line naming what it holds.
func (o *OpenViking) abstractOf(r *http.Request) (any, error) {
	return o.summary(r, func(d Document) string { return d.Abstract }, directoryAbstract)
}

// overviewOf serves GET /api/v1/content/overview?uri=… with a document's
// title and abstract, or for a directory a list of what it holds.
func (o *OpenViking) overviewOf(r *http.Request) (any, error) {
	return o.summary(r, documentOverview, directoryOverview)
}

func (o *OpenViking) summary(r *http.Request, ofDoc func(Document) string, ofDir func(string, []Document) string) (any, error) {
	user, uri, err := contentURI(r)
	if err != nil {
		return nil, err
	}
	if d, ok := o.index.get(uri); ok && visibleTo(user, d) {
		return ofDoc(d), nil
	}
	var docs []Document
	for _, d := range o.index.under(uri) {
		if visibleTo(user, d) {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, notFound(uri, "directory")
	}
	return ofDir(uri, docs), nil
}

func documentOverview(d Document) string {
	return "# " + d.Title + "\n\n" + d.Abstract + "\n"
}

func directoryAbstract(uri string, docs []Document) string {
	return "Directory " + uri + " holds " + strconv.Itoa(len(docs)) + " document" + plural(len(docs)) + "."
}

func directoryOverview(uri string, docs []Document) string {
	var b strings.Builder
	b.WriteString("# " + uri + "\n\n")
	for _, d := range docs {
		b.WriteString("- [" + d.Title + "](" + d.URI + "): " + d.Abstract + "\n")
	}
	return b.String()
}

// contentURI reads the required uri query parameter and resolves it.
func contentURI(r *http.Request) (user, uri string, err error) {
	user, err = userOf(r)
	if err != nil {
		return "", "", err
	}
	if !r.URL.Query().Has("uri") {
		return "", "", invalidRequest(ovIssue{Loc: []string{"query", "uri"}, Message: "Field required", Type: "missing"})
	}
	uri, err = resolveURI(r.URL.Query().Get("uri"), user)
	return user, uri, err
}

// intQuery reads an optional integer query parameter.
func intQuery(r *http.Request, name string, def int) (int, error) {
	if !r.URL.Query().Has(name) {
		return def, nil
	}
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return 0, invalidRequest(ovIssue{Loc: []string{"query", name}, Type: "int_parsing",
			Message: "Input should be a valid integer, unable to parse string as an integer"})
	}
	return n, nil
}

// sliceLines keeps limit lines from line offset (all of them when limit
// is -1), line ends included, like Python's splitlines(keepends=True)
// sliced [offset:offset+limit].
