package verify

import "github.com/lifeboat-sre/lifeboat/internal/jsonpath"

// lookup returns every value at path in doc; path has been validated.
func lookup(doc any, path string) []any {
	p, _ := jsonpath.Compile(path)
	return p.Lookup(doc)
}
