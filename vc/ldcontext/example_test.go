package ldcontext_test

import (
	"errors"
	"fmt"

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
