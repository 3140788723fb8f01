package ldcontext_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/iotrust/iotrust/vc/ldcontext"
)

func TestBuiltinContextsLoad(t *testing.T) {
	l := ldcontext.Default()
	want := []string{
		ldcontext.CredentialsV1, ldcontext.CredentialsV2, ldcontext.DIDV1,
		ldcontext.MultikeyV1, ldcontext.DataIntegrityV2, ldcontext.DeviceV1,
		ldcontext.ClaimsV1,
	}
	if got := l.URLs(); len(got) != len(want) {
		t.Fatalf("URLs() = %v, want %d entries", got, len(want))
	}
	for _, u := range want {
		doc, err := l.LoadDocument(u)
		if err != nil {
			t.Fatalf("LoadDocument(%q): %v", u, err)
		}
		m, ok := doc.Document.(map[string]any)
		if !ok || m["@context"] == nil {
			t.Fatalf("LoadDocument(%q): document has no @context: %T", u, doc.Document)
		}
		if doc.DocumentURL != u {
			t.Fatalf("DocumentURL = %q, want %q", doc.DocumentURL, u)
		}
	}
}

func TestUnknownContextIsTypedError(t *testing.T) {
	l := ldcontext.Default()
	for _, u := range []string{
		"https://www.w3.org/2018/credentials/v1/", // near miss
		"https://www.w3.org/ns/credentials/examples/v2",
		"http://www.w3.org/ns/did/v1", // scheme differs
		"",
		"file:///etc/passwd",
	} {
		_, err := l.LoadDocument(u)
		if !errors.Is(err, ldcontext.ErrUnknownContext) {
			t.Errorf("LoadDocument(%q) = %v, want ErrUnknownContext", u, err)
		}
	}
}

func TestLoadedDocumentsAreIndependent(t *testing.T) {
	l := ldcontext.Default()
	a, _ := l.LoadDocument(ldcontext.DeviceV1)
	a.Document.(map[string]any)["@context"] = "clobbered"
	b, _ := l.LoadDocument(ldcontext.DeviceV1)
	if _, ok := b.Document.(map[string]any)["@context"].(map[string]any); !ok {
		t.Fatal("mutating one loaded document changed the next")
	}
}

func TestWithContext(t *testing.T) {
	const u = "https://example.org/fleet/v1"
	l, err := ldcontext.New(ldcontext.WithContext(u, []byte(`{"@context":{"fleet":"https://example.org/fleet#fleet"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	if !l.Has(u) {
		t.Fatal("added context not served")
	}
	bad := map[string][]byte{
		"not json":    []byte(`{`),
		"no @context": []byte(`{"a":1}`),
		"array":       []byte(`[]`),
		"too large":   []byte(`{"@context":{},"x":"` + strings.Repeat("a", ldcontext.MaxContextSize) + `"}`),
		"replaces v2": []byte(`{"@context":{}}`),
		"duplicate":   []byte(`{"@context":{},"@context":{"a":"https://example.org/a"}}`),
		"trailing":    []byte(`{"@context":{}} {}`),
	}
	for name, doc := range bad {
		url := u
		if name == "replaces v2" {
			url = ldcontext.CredentialsV2
		}
		if _, err := ldcontext.New(ldcontext.WithContext(url, doc)); !errors.Is(err, ldcontext.ErrInvalidContext) {
			t.Errorf("%s: err = %v, want ErrInvalidContext", name, err)
		}
	}
}

// TestExpansionUsesEmbeddedContexts runs json-gold's expansion over a device
// credential: the device terms must expand to their IRIs, and a document
// naming a context the loader lacks must fail with ErrUnknownContext rather
// than reach for the network.
func TestExpansionUsesEmbeddedContexts(t *testing.T) {
	proc := ld.NewJsonLdProcessor()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = ldcontext.Default()

	var doc any
	_ = json.Unmarshal([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://iotrust.dev/contexts/device/v1"],
	  "type": ["VerifiableCredential", "DeviceCredential"],
	  "credentialSubject": {"id": "did:example:dev", "model": "TX-1", "roles": {"publish": ["a/+"]}}
	}`), &doc)
	out, err := proc.Expand(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	for _, iri := range []string{
		"https://iotrust.dev/ns/device#model",
		"https://iotrust.dev/ns/device#publish",
		"https://iotrust.dev/ns/device#DeviceCredential",
	} {
		if !strings.Contains(string(b), iri) {
			t.Errorf("expansion lacks %s: %s", iri, b)
		}
	}

	_ = json.Unmarshal([]byte(`{"@context": ["https://evil.example/ctx"], "a": 1}`), &doc)
	_, err = proc.Expand(doc, opts)
	if err == nil || !strings.Contains(err.Error(), "unknown JSON-LD context") {
		t.Fatalf("expansion with unknown context: err = %v", err)
	}
}
