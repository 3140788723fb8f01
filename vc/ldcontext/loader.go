package ldcontext

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/piprate/json-gold/ld"

	"github.com/iotrust/iotrust/canon"
)

// URLs of the contexts every Loader knows.
const (
	CredentialsV1   = "https://www.w3.org/2018/credentials/v1"
	CredentialsV2   = "https://www.w3.org/ns/credentials/v2"
	DIDV1           = "https://www.w3.org/ns/did/v1"
	MultikeyV1      = "https://w3id.org/security/multikey/v1"
	DataIntegrityV2 = "https://w3id.org/security/data-integrity/v2"
	// DeviceV1 is iotrust's own context for DeviceCredential claims. It is
	// served only from the copy embedded here.
	DeviceV1 = "https://iotrust.dev/contexts/device/v1"
	// ClaimsV1 is iotrust's context for application-defined claims: it
	// defines the one term "claims" as a JSON literal (@type @json), so the
	// whole claims object is signed as its RFC 8785 form and no
	// application needs a context of its own. Served only from here.
	ClaimsV1 = "https://iotrust.dev/contexts/claims/v1"
)

// MaxContextSize bounds a context document added with WithContext.
const MaxContextSize = 1 << 20

// ErrUnknownContext is returned for a context URL the Loader does not hold.
// Nothing is ever fetched over the network.
var ErrUnknownContext = errors.New("ldcontext: unknown JSON-LD context (only embedded contexts are served)")

// ErrInvalidContext is returned by WithContext for a document that is not a
// JSON object with an "@context" member (exactly one value, no duplicate
// members), or is too large.
var ErrInvalidContext = errors.New("ldcontext: invalid context document")

//go:embed contexts/*.jsonld
var embedded embed.FS

var builtin = map[string]string{
	CredentialsV1:   "contexts/credentials-v1.jsonld",
	CredentialsV2:   "contexts/credentials-v2.jsonld",
	DIDV1:           "contexts/did-v1.jsonld",
	MultikeyV1:      "contexts/multikey-v1.jsonld",
	DataIntegrityV2: "contexts/data-integrity-v2.jsonld",
	DeviceV1:        "contexts/device-v1.jsonld",
	ClaimsV1:        "contexts/claims-v1.jsonld",
}

// Loader is a JSON-LD document loader that serves a fixed set of context
// documents compiled into the binary. It satisfies json-gold's
// ld.DocumentLoader (and so vc-go's WithJSONLDDocumentLoader). It is
// immutable after construction and safe for concurrent use; every call
// returns a freshly decoded document, so a caller that mutates one cannot
// affect the next.
type Loader struct {
	docs map[string][]byte
}

// Option adds to a Loader.
type Option func(*Loader) error

// WithContext makes the Loader also serve doc under url. It is for a
// deployment's own vocabulary; the built-in contexts cannot be replaced.
func WithContext(url string, doc []byte) Option {
	return func(l *Loader) error {
		if _, ok := builtin[url]; ok {
			return fmt.Errorf("%w: %q is built in", ErrInvalidContext, url)
		}
		if len(doc) > MaxContextSize {
			return fmt.Errorf("%w: %q is %d bytes", ErrInvalidContext, url, len(doc))
		}
		var probe map[string]json.RawMessage
		if err := canon.Decode(doc, &probe); err != nil {
			return fmt.Errorf("%w: %q: %w", ErrInvalidContext, url, err)
		}
		if _, ok := probe["@context"]; !ok {
			return fmt.Errorf("%w: %q has no @context", ErrInvalidContext, url)
		}
		l.docs[url] = append([]byte(nil), doc...)
		return nil
	}
}

// New returns a Loader holding the built-in contexts plus any added by opts.
func New(opts ...Option) (*Loader, error) {
	l := &Loader{docs: make(map[string][]byte, len(builtin)+len(opts))}
	for url, name := range builtin {
		b, err := embedded.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("ldcontext: embedded %s: %w", name, err)
		}
		l.docs[url] = b
	}
	for _, o := range opts {
		if err := o(l); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Default returns a Loader with only the built-in contexts.
func Default() *Loader {
	l, err := New()
	if err != nil {
		// The embedded files are part of the build; reaching this means the
		// binary itself is broken.
		panic(err)
	}
	return l
}

// URLs lists the context URLs the Loader serves, sorted.
func (l *Loader) URLs() []string {
	out := make([]string, 0, len(l.docs))
	for u := range l.docs {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Has reports whether the Loader serves url.
func (l *Loader) Has(url string) bool {
	_, ok := l.docs[url]
	return ok
}

// LoadDocument returns the context document for url, or ErrUnknownContext.
func (l *Loader) LoadDocument(url string) (*ld.RemoteDocument, error) {
	raw, ok := l.docs[url]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownContext, url)
	}
	// Every document was checked when the Loader was built; decoding it
	// afresh gives each caller a copy of its own.
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrInvalidContext, url, err)
	}
	return &ld.RemoteDocument{DocumentURL: url, Document: doc}, nil
}
