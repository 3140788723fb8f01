package evidence

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse: Parse never panics and refuses with ErrMalformed; what it
// accepts validates, is the bundle whose file form is the input's RFC 8785
// canonical form, and reads back the same.
func FuzzParse(f *testing.F) {
	single, set := validFiles(f)
	f.Add(single)
	f.Add(set)
	f.Add(bytes.ReplaceAll(single, []byte(`,"`), []byte(",\n  \"")))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1,"readings":[],"receipts":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := Parse(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || b != nil {
				t.Fatalf("error %v (bundle %v) does not match ErrMalformed", err, b != nil)
			}
			return
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("accepted a bundle that does not validate: %v", err)
		}
		out, err := b.Marshal()
		if err != nil {
			t.Fatalf("Marshal of an accepted bundle: %v", err)
		}
		c, err := limits.Canonicalize(in)
		if err != nil || !bytes.Equal(c, out) {
			t.Fatalf("accepted input whose canonical form differs (%v)", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal) = %v", err)
		}
		if o2, _ := again.Marshal(); !bytes.Equal(o2, out) {
			t.Fatal("second round trip differs")
		}
	})
}
