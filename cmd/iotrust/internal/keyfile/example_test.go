package keyfile_test

import (
	"bytes"
	"fmt"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
)

// A device key saved as a key file and read back.
func Example() {
	k, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32)) // use GenerateKey(nil)
	file, id, _ := keyfile.Marshal(k)
	fmt.Print(string(file))
	back, backID, err := keyfile.Parse(file)
	fmt.Println(err == nil, backID == id, back.Public().Equal(k.Public()))
	// Output:
	// {"crv":"Ed25519","d":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE","kid":"did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX#z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX","kty":"OKP","use":"sig","x":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w"}
	// true true true
}
