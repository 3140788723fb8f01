package ldcontext_test

import (
	"errors"
	"testing"

	"github.com/iotrust/iotrust/vc/ldcontext"
)

// FuzzWithContext: a context document is accepted only as one JSON object
// with an @context and no duplicate members; everything else is
// ErrInvalidContext, and an accepted one is served back as a JSON object.
func FuzzWithContext(f *testing.F) {
	f.Add([]byte(`{"@context":{"fleet":"https://example.org/fleet#fleet"}}`))
	f.Add([]byte(`{"@context":{},"@context":{}}`))
	f.Add([]byte(`{"@context":{}} {}`))
	f.Add([]byte(`{"@Context":{}}`))
	const u = "https://example.org/fuzz/v1"
	f.Fuzz(func(t *testing.T, doc []byte) {
		l, err := ldcontext.New(ldcontext.WithContext(u, doc))
		if err != nil {
			if !errors.Is(err, ldcontext.ErrInvalidContext) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		d, err := l.LoadDocument(u)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := d.Document.(map[string]any); !ok {
			t.Fatalf("served %T", d.Document)
		}
	})
}
