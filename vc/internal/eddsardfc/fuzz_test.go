package eddsardfc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/vc/internal/rdfc"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// FuzzCanonicalize feeds JSON documents to the safe pipeline. Every
// refusal is typed; every document it accepts canonicalizes the same way
// twice and, where no blank node label could make a quad name one blank
// node twice (json-gold's known departure from RDFC-1.0), exactly as
// json-gold's own Normalize does — whose work is then small, since ours
// stayed within budget.
func FuzzCanonicalize(f *testing.F) {
	seed, _ := json.Marshal(deviceDoc())
	f.Add(seed)
	v, _ := loadVector(f)
	seed, _ = json.Marshal(v)
	f.Add(seed)
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","credentialSubject":{"name":[{"name":"a"},{"name":"a"}]}}`))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://iotrust.dev/contexts/device/v1"],"Model":"x"}`))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"name":{"@context":{"@vocab":"https://e.example/#"},"x":1}}`))
	loader := ldcontext.Default()
	f.Fuzz(func(t *testing.T, raw []byte) {
		var doc map[string]any
		if canon.Decode(raw, &doc) != nil || doc == nil {
			return
		}
		got, err := Canonicalize(ctx, doc, loader)
		if err != nil {
			if !errors.Is(err, ErrCanonicalize) && !errors.Is(err, ErrUndefinedTerm) && !errors.Is(err, rdfc.ErrTooComplex) && !errors.Is(err, ldcontext.ErrUnknownContext) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		var again map[string]any
		_ = canon.Decode(raw, &again)
		if second, err := Canonicalize(ctx, again, loader); err != nil || string(second) != string(got) {
			t.Fatalf("not deterministic: %v", err)
		}
		if strings.Contains(string(raw), "_:") {
			return
		}
		_ = canon.Decode(raw, &again)
		if want := jsonGoldNormalize(t, again, loader); want != string(got) {
			t.Fatalf("differs from json-gold\n got:\n%s\nwant:\n%s", got, want)
		}
	})
}
