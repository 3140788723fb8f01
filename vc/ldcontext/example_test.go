package ldcontext_test

import (
	"errors"
	"fmt"

	"github.com/piprate/json-gold/ld"

	"github.com/iotrust/iotrust/vc/ldcontext"
)

func ExampleLoader_LoadDocument() {
	l := ldcontext.Default()
	doc, err := l.LoadDocument(ldcontext.CredentialsV2)
	fmt.Println(doc.DocumentURL, err)
	_, err = l.LoadDocument("https://example.org/not-embedded")
	fmt.Println(errors.Is(err, ldcontext.ErrUnknownContext))
	// Output:
	// https://www.w3.org/ns/credentials/v2 <nil>
	// true
}

// A Loader is what JSON-LD processing gets instead of the network: here
// json-gold expands a device claim with the embedded contexts.
func ExampleDefault() {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = ldcontext.Default()
	doc := map[string]any{
		"@context": []any{ldcontext.CredentialsV2, ldcontext.DeviceV1},
		"model":    "TX-1",
	}
	out, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for iri := range out[0].(map[string]any) {
		fmt.Println(iri)
	}
	// Output:
	// https://iotrust.dev/ns/device#model
}
