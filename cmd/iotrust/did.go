package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
)

// schemes are the names --scheme accepts.
var schemes = []struct {
	name   string
	scheme did.SchemeID
}{
	{"ed25519", did.Ed25519},
	{"p256", did.P256},
	{"ml-dsa-44", did.MLDSA44},
	{"ml-dsa-65", did.MLDSA65},
	{"ml-dsa-87", did.MLDSA87},
}

func schemeNames() string {
	var s []string
	for _, x := range schemes {
		s = append(s, x.name)
	}
	return strings.Join(s, ", ")
}

func didNewCommand() *command {
	return &command{
		name:  "did new",
		short: "make a key pair and print its DID",
		long: `
Did new makes a new key pair and prints its DID: a did:key for Ed25519 and
P-256 keys, a did:jwk for ML-DSA keys (which have no did:key form).

With --out, the private key is written to KEYFILE, readable by you only
(mode 0600); an existing file is never overwritten. The file is a private
JSON Web Key whose "kid" is the DID's verification method, readable by JOSE
libraries. Without --out, the key file is written to standard output and
the DID to standard error, so that it can be piped into a secret store.

Examples:
  iotrust did new --out device-7.jwk
  iotrust did new --scheme ml-dsa-44 --out device-8.jwk
  iotrust did new | vault kv put secret/device-9 key=-`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			scheme := fs.String("scheme", "ed25519", "the key's signature `scheme`: "+schemeNames())
			out := fs.String("out", "", "write the private key to `KEYFILE` (mode 0600)")
			return func(ctx context.Context, args []string) error {
				var s did.SchemeID
				for _, x := range schemes {
					if strings.EqualFold(*scheme, x.name) || strings.EqualFold(*scheme, x.scheme.Name()) {
						s = x.scheme
					}
				}
				if s == 0 {
					return usagef("--scheme %q: choose one of %s", *scheme, schemeNames())
				}
				k, err := s.GenerateKey(nil)
				if err != nil {
					return err
				}
				if *out == "" {
					file, id, err := keyfile.Marshal(k)
					if err != nil {
						return err
					}
					warnWorldReadable(e)
					if _, err := e.stdout.Write(file); err != nil {
						return err
					}
					fmt.Fprintf(e.stderr, "DID: %s\n", id)
					return nil
				}
				id, err := keyfile.Write(*out, k)
				if os.IsExist(err) {
					return fmt.Errorf("%s exists; not overwriting a key file", *out)
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, id)
				return nil
			}
		},
	}
}

// warnWorldReadable warns when the private key goes to a file others may
// read (a shell redirection made with the default umask).
func warnWorldReadable(e *env) {
	f, ok := e.stdout.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(e.stderr, "%s did new: warning: writing a private key to a file others can read; use --out\n", programName)
	}
}

func didResolveCommand() *command {
	return &command{
		name:  "did resolve",
		args:  "DID",
		nargs: 1,
		short: "print the DID document of a did:key or did:jwk, offline",
		long: `
Did resolve prints the DID document of a did:key or did:jwk DID as JSON.
Both methods carry the key in the DID itself, so nothing is fetched; the
key is checked as every key iotrust accepts is (weak Ed25519 keys, points
off the curve and malformed encodings are refused). A DID URL with a
fragment resolves to the document of its DID.

Examples:
  iotrust did resolve did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK
  iotrust did resolve "$(iotrust did new --out k.jwk)"`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			return func(ctx context.Context, args []string) error {
				id, _, err := did.SplitURL(args[0])
				if err != nil {
					return err
				}
				doc, err := did.Resolve(id)
				if err != nil {
					return err
				}
				out, err := json.MarshalIndent(doc, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(e.stdout, "%s\n", out)
				return err
			}
		},
	}
}
