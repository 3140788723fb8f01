package did

import (
	"errors"
	"testing"
)

// Found by FuzzParseDocument: a single-string @context escaped the check
// that a list gets, and encoding/json's case-insensitive member matching let
// "@ConteXt" stand in for "@context". Both made a document that parsed once
// fail after a round trip, i.e. two readers could disagree about it.
func TestParseDocumentStrictMembers(t *testing.T) {
	const id = `"id":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"`
	for name, raw := range map[string]string{
		"empty string context":        `{"@context":"",` + id + `}`,
		"foreign string context":      `{"@context":"https://example.com/ctx",` + id + `}`,
		"context key in another case": `{"@ConteXt":"https://www.w3.org/ns/did/v1",` + id + `}`,
		"id key in another case":      `{"@context":"https://www.w3.org/ns/did/v1","ID":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}`,
		"method member in another case": `{"@context":"https://www.w3.org/ns/did/v1",` + id +
			`,"verificationMethod":[{"id":"#k","TYPE":"Multikey","controller":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}`,
	} {
		if _, err := ParseDocument([]byte(raw)); !errors.Is(err, ErrInvalidDocument) {
			t.Errorf("%s: %v, want ErrInvalidDocument", name, err)
		}
	}
	for _, ctx := range []string{`"https://www.w3.org/ns/did/v1"`, `["https://www.w3.org/ns/did/v1"]`, `"https://w3id.org/did/v1"`} {
		if _, err := ParseDocument([]byte(`{"@context":` + ctx + `,` + id + `}`)); err != nil {
			t.Errorf("@context %s rejected: %v", ctx, err)
		}
	}
}
