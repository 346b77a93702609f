package sim

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// index is a tiny keyword index over Documents, shared by both simulators.
// Scores are in (0, 1]: 0.7 times the fraction of query terms a document
// holds, 0.15 when the whole query appears verbatim, and 0.15 times the
// fraction of query terms in its title, so the document about a topic
// outranks documents that merely mention it.
type index struct {
	mu    sync.RWMutex
	docs  []indexed
	byURI map[string]int // position in docs
}

type indexed struct {
	doc    Document
	terms  map[string]struct{}
	titled map[string]struct{} // terms of the title
	lower  string              // title, abstract and text, lower-cased, for phrase matches
}

// hit is one search result.
type hit struct {
	doc   Document
	score float64
}

// searchParams narrows a search; the zero value matches everything.
type searchParams struct {
	query     string
	threshold float64             // minimum score
	limit     int                 // 0 means no limit
	admit     func(Document) bool // nil means every document
}

func newIndex(docs []Document) *index {
	ix := &index{byURI: make(map[string]int, len(docs))}
	for _, d := range docs {
		ix.put(d)
	}
	return ix
}

// get returns the document stored under uri.
func (ix *index) get(uri string) (Document, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	i, ok := ix.byURI[uri]
	if !ok {
		return Document{}, false
	}
	return ix.docs[i].doc, true
}

// under returns the documents whose URI lies below dir, in URI order.
func (ix *index) under(dir string) []Document {
	dir = strings.TrimSuffix(dir, "/") + "/"
	ix.mu.RLock()
	var docs []Document
	for i := range ix.docs {
		if strings.HasPrefix(ix.docs[i].doc.URI, dir) {
			docs = append(docs, ix.docs[i].doc)
		}
	}
	ix.mu.RUnlock()
	sort.Slice(docs, func(i, j int) bool { return docs[i].URI < docs[j].URI })
	return docs
}

// put adds d, replacing any document with the same URI.
func (ix *index) put(d Document) {
	d = d.normalized()
	body := strings.ToLower(d.Title + "\n" + d.Abstract + "\n" + d.Text)
	e := indexed{doc: d, terms: termSet(body), titled: termSet(d.Title), lower: body}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if i, ok := ix.byURI[d.URI]; ok {
		ix.docs[i] = e
		return
	}
	ix.byURI[d.URI] = len(ix.docs)
	ix.docs = append(ix.docs, e)
}

func (ix *index) len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.docs)
}

// search returns the matching documents, best first (ties by URI).
func (ix *index) search(p searchParams) []hit {
	terms := tokenize(p.query)
	if len(terms) == 0 {
		return nil
	}
	phrase := strings.ToLower(strings.TrimSpace(p.query))
	ix.mu.RLock()
	var hits []hit
	for i := range ix.docs {
		if h, ok := ix.docs[i].match(terms, phrase, p); ok {
			hits = append(hits, h)
		}
	}
	ix.mu.RUnlock()
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].doc.URI < hits[j].doc.URI
	})
	if p.limit > 0 && len(hits) > p.limit {
		hits = hits[:p.limit]
	}
	return hits
}

func (e *indexed) match(terms []string, phrase string, p searchParams) (hit, bool) {
	if p.admit != nil && !p.admit(e.doc) {
		return hit{}, false
	}
	found, inTitle := 0, 0
	for _, t := range terms {
		if _, ok := e.terms[t]; ok {
			found++
		}
		if _, ok := e.titled[t]; ok {
			inTitle++
		}
	}
	if found == 0 {
		return hit{}, false
	}
	n := float64(len(terms))
	score := 0.7*float64(found)/n + 0.15*float64(inTitle)/n
	if strings.Contains(e.lower, phrase) {
		score += 0.15
	}
	score = math.Round(score*1e4) / 1e4
	return hit{doc: e.doc, score: score}, score >= p.threshold
}

// stopWords are too common to say anything about a match.
var stopWords = map[string]struct{}{
	"a": {}, "an": {}, "and": {}, "are": {}, "as": {}, "at": {}, "be": {}, "by": {},
	"do": {}, "for": {}, "from": {}, "how": {}, "in": {}, "is": {}, "it": {}, "of": {},
	"on": {}, "or": {}, "the": {}, "to": {}, "what": {}, "when": {}, "which": {},
	"who": {}, "why": {}, "with": {}, "does": {}, "can": {}, "this": {}, "that": {},
}

// tokenize lower-cases s, splits it on anything but letters and digits,
// drops stop words and one-letter words, folds plural "s" and removes
// duplicates, keeping first-seen order.
func tokenize(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	seen := make(map[string]struct{}, len(fields))
	out := fields[:0]
	for _, f := range fields {
		if _, stop := stopWords[f]; stop || len(f) < 2 {
			continue
		}
		f = stem(f)
		if _, dup := seen[f]; !dup {
			seen[f] = struct{}{}
			out = append(out, f)
		}
	}
	return out
}

func termSet(s string) map[string]struct{} {
	terms := tokenize(s)
	set := make(map[string]struct{}, len(terms))
	for _, t := range terms {
		set[t] = struct{}{}
	}
	return set
}

// stem folds the plural of a word so "agents" finds "agent".
func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}
