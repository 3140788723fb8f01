package eddsardfc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/iotrust/iotrust/vc/internal/rdfc"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// deviceDoc is shaped like an iotrust device credential, application
// claims included.
func deviceDoc() map[string]any {
	var doc map[string]any
	_ = json.Unmarshal([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://iotrust.dev/contexts/device/v1", "https://iotrust.dev/contexts/claims/v1"],
	  "id": "urn:uuid:3f1d9a62-7a4e-4c8e-9d7e-2b1f5c0e8a11",
	  "type": ["VerifiableCredential", "DeviceCredential"],
	  "issuer": "did:example:issuer",
	  "validFrom": "2026-03-01T12:00:00Z",
	  "validUntil": "2027-03-01T12:00:00Z",
	  "credentialSubject": {
	    "id": "did:example:device",
	    "model": "TX-1",
	    "name": "car \"7\" \\ back",
	    "roles": {"publish": ["sensors/+/temperature", "fleet/#"], "read": ["config"]},
	    "claims": {"vin": "WVWZZZ1JZXW000001", "maxPowerW": 11000, "bidirectional": false}
	  }
	}`), &doc)
	return doc
}

// jsonGoldNormalize is json-gold's own URDNA2015 over the same document.
func jsonGoldNormalize(t *testing.T, doc map[string]any, loader ld.DocumentLoader) string {
	t.Helper()
	opts := ld.NewJsonLdOptions("")
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	opts.DocumentLoader = loader
	out, err := ld.NewJsonLdProcessor().Normalize(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out.(string)
}

// TestMatchesJSONGold: on documents the safe pipeline accepts, its output
// is what json-gold's Normalize makes of them.
func TestMatchesJSONGold(t *testing.T) {
	vector, _ := loadVector(t)
	noID := deviceDoc()
	delete(noID, "id") // the credential itself becomes a blank node
	twins := deviceDoc()
	twins["credentialSubject"].(map[string]any)["description"] = []any{map[string]any{"name": "a"}, map[string]any{"name": "a"}, map[string]any{"name": "b"}}
	for name, tc := range map[string]struct {
		doc    map[string]any
		loader ld.DocumentLoader
	}{
		"W3C vector":         {vector, vectorLoader(t)},
		"device credential":  {deviceDoc(), ldcontext.Default()},
		"without id":         {noID, ldcontext.Default()},
		"look-alike objects": {twins, ldcontext.Default()},
	} {
		got, err := Canonicalize(ctx, tc.doc, tc.loader)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := jsonGoldNormalize(t, tc.doc, tc.loader); string(got) != want {
			t.Fatalf("%s:\n got:\n%s\nwant:\n%s", name, got, want)
		}
	}
	got, _ := Canonicalize(ctx, deviceDoc(), ldcontext.Default())
	if !strings.Contains(string(got), `"{\"bidirectional\":false,\"maxPowerW\":11000,\"vin\":\"WVWZZZ1JZXW000001\"}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>`) {
		t.Fatalf("claims are not one canonical JSON literal:\n%s", got)
	}
}

// TestRefusals: each way a document can carry data its RDF — and so its
// signature — does not hold, with the error it must produce.
func TestRefusals(t *testing.T) {
	subject := func(d map[string]any) map[string]any { return d["credentialSubject"].(map[string]any) }
	clique := func(n int) []any {
		var nodes []any
		for i := range n {
			var refs []any
			for j := range n {
				if j != i {
					refs = append(refs, map[string]any{"id": fmt.Sprintf("_:b%d", j)})
				}
			}
			nodes = append(nodes, map[string]any{"id": fmt.Sprintf("_:b%d", i), "name": refs})
		}
		return nodes
	}
	for _, tc := range []struct {
		name string
		edit func(d map[string]any)
		want error
	}{
		{"undefined term at top level", func(d map[string]any) { d["role"] = "admin" }, ErrUndefinedTerm},
		{"undefined term in subject", func(d map[string]any) { subject(d)["maxPower"] = 50000.0 }, ErrUndefinedTerm},
		{"undefined term deeply nested", func(d map[string]any) {
			subject(d)["description"] = map[string]any{"name": map[string]any{"name": map[string]any{"extra": "x"}}}
		}, ErrUndefinedTerm},
		{"undefined term in roles", func(d map[string]any) { subject(d)["roles"].(map[string]any)["admin"] = []any{"#"} }, ErrUndefinedTerm},
		{"case variant of a term", func(d map[string]any) { subject(d)["Model"] = "TX-9" }, ErrUndefinedTerm},
		{"keyword-shaped member", func(d map[string]any) { d["@Context"] = "x" }, ErrUndefinedTerm},
		{"blank node property", func(d map[string]any) { subject(d)["_:p"] = "x" }, ErrUndefinedTerm},
		// json-gold panicked on a number under an empty member name (found
		// by FuzzCanonicalize).
		{"empty member name, number", func(d map[string]any) { subject(d)[""] = 0.0 }, ErrUndefinedTerm},
		{"empty member name at top level", func(d map[string]any) { d[""] = "x" }, ErrUndefinedTerm},
		{"null value", func(d map[string]any) { subject(d)["model"] = nil }, ErrUndefinedTerm},
		{"undefined type", func(d map[string]any) {
			d["type"] = []any{"VerifiableCredential", "DeviceCredential", "AdminCredential"}
		}, ErrUndefinedTerm},
		{"relative subject id", func(d map[string]any) { subject(d)["id"] = "device-7" }, ErrUndefinedTerm},
		{"repeated statement", func(d map[string]any) {
			subject(d)["roles"].(map[string]any)["read"] = []any{"config", "config"}
		}, ErrUndefinedTerm},
		{"raw keyword", func(d map[string]any) { subject(d)["@id"] = "did:example:x" }, ErrCanonicalize},
		{"nested context", func(d map[string]any) {
			subject(d)["@context"] = map[string]any{"@vocab": "https://evil.example/#"}
		}, ErrCanonicalize},
		{"non-integer number", func(d map[string]any) { subject(d)["claims"].(map[string]any)["maxPowerW"] = 1.5 }, ErrCanonicalize},
		{"control character", func(d map[string]any) { subject(d)["model"] = "TX\n1" }, ErrCanonicalize},
		{"JSON literal not an object", func(d map[string]any) { subject(d)["claims"] = "x" }, ErrCanonicalize},
		{"proof graph inside the document", func(d map[string]any) { d["proof"] = map[string]any{"type": "DataIntegrityProof"} }, ErrCanonicalize},
		{"too many values", func(d map[string]any) {
			list := make([]any, maxValues)
			for i := range list {
				list[i] = "a"
			}
			subject(d)["roles"].(map[string]any)["read"] = list
		}, rdfc.ErrTooComplex},
		{"poison graph", func(d map[string]any) { subject(d)["name"] = clique(8) }, rdfc.ErrTooComplex},
		{"unknown context", func(d map[string]any) { d["@context"] = []any{ldcontext.CredentialsV2, "https://evil.example/v1"} }, ldcontext.ErrUnknownContext},
	} {
		doc := deviceDoc()
		tc.edit(doc)
		if _, err := Canonicalize(ctx, doc, ldcontext.Default()); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func BenchmarkCanonicalizeDevice(b *testing.B) {
	doc := deviceDoc()
	l := ldcontext.Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(ctx, doc, l); err != nil {
			b.Fatal(err)
		}
	}
}

// A panic inside json-gold comes back as an error wrapping ErrCanonicalize.
func TestGuard(t *testing.T) {
	err := guard("expansion", func() error {
		var m map[string]any
		_ = m["x"].(string) // the shape of json-gold's panic
		return nil
	})
	if !errors.Is(err, ErrCanonicalize) {
		t.Fatalf("panic: %v, want ErrCanonicalize", err)
	}
	want := errors.New("plain")
	if err := guard("expansion", func() error { return want }); err != want {
		t.Fatalf("error: %v, want it unchanged", err)
	}
}
