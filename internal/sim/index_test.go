package sim

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	got := tokenize("What is the Agents' memory? agent MEMORY, v2!")
	want := []string{"agent", "memory", "v2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tokenize = %v, want %v", got, want)
	}
	if stem("class") != "class" || stem("bus") != "bus" || stem("tiers") != "tier" {
		t.Fatal("stem folds the wrong words")
	}
}

func TestIndexScoring(t *testing.T) {
	ix := newIndex([]Document{
		{URI: "viking://a", Title: "Mentions", Text: "a context database is handy"},
		{URI: "viking://b", Title: "Context database", Text: "all about it"},
		{URI: "viking://c", Title: "Other", Text: "database only"},
		{URI: "viking://d", Title: "Nothing", Text: "unrelated words"},
	})
	hits := ix.search(searchParams{query: "context database"})
	var uris []string
	for _, h := range hits {
		uris = append(uris, h.doc.URI)
	}
	if !reflect.DeepEqual(uris, []string{"viking://b", "viking://a", "viking://c"}) {
		t.Fatalf("order %v", uris)
	}
	if hits[0].score != 1 || hits[1].score != 0.85 || hits[2].score != 0.35 {
		t.Fatalf("scores %v %v %v", hits[0].score, hits[1].score, hits[2].score)
	}
	if got := ix.search(searchParams{query: "context database", threshold: 0.5, limit: 1}); len(got) != 1 || got[0].doc.URI != "viking://b" {
		t.Fatalf("threshold+limit %v", got)
	}
	if got := ix.search(searchParams{query: "the of"}); got != nil {
		t.Fatalf("stop words matched %v", got)
	}
}

func TestIndexReplacesSameURI(t *testing.T) {
	ix := newIndex(nil)
	ix.put(Document{URI: "viking://x", Text: "old words"})
	ix.put(Document{URI: "viking://x", Text: "new words"})
	if ix.len() != 1 || len(ix.search(searchParams{query: "old"})) != 0 {
		t.Fatal("put did not replace the document")
	}
	d := Document{Text: "First sentence. Second one."}.normalized()
	if d.Abstract != "First sentence." || d.ContextType != ContextResource || d.FilePath != d.URI[len("viking://"):] {
		t.Fatalf("defaults %+v", d)
	}
}
