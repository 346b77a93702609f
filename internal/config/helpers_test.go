package config

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// normalize makes every empty list and map in c nil, in place. YAML writes a nil list
// as [] and reads it back as an empty one; the two mean the same to every
// consumer, so comparisons should not tell them apart.
func normalize(c *Config) {
	normalizeValue(reflect.ValueOf(c).Elem())
}

func normalizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			normalizeValue(v.Field(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			v.SetZero()
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.SetZero()
			return
		}
		for i := range v.Len() {
			normalizeValue(v.Index(i))
		}
	}
}

// assertEqualConfig fails when got and want differ other than in nil versus
// empty lists. Both are normalized in place.
func assertEqualConfig(t testing.TB, got, want Config) {
	t.Helper()
	normalize(&got)
	normalize(&want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("configs differ:\ngot  %+v\nwant %+v", got, want)
	}
}

// fieldErrors returns the fields named by every field.Error joined in err.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not a joined error: %v", err, err)
	}
	var fields []string
	for _, e := range joined.Unwrap() {
		var fe *field.Error
		if !errors.As(e, &fe) {
			t.Fatalf("joined error %T is not a *field.Error: %v", e, e)
		}
		fields = append(fields, fe.Field)
	}
	return fields
}
