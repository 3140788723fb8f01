package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/iotrust/iotrust/cmd/iotrust/internal/artefact"
)

func inspectCommand() *command {
	return &command{
		name:  "inspect",
		args:  "FILE",
		nargs: 1,
		short: "say what an iotrust file is and show what it holds",
		long: `
Inspect recognises any file iotrust writes and prints what it holds as
text: an evidence bundle, a signed reading (JSON or CBOR), a Merkle
inclusion, consistency or multi-leaf proof (JSON or binary), an anchor
commitment (JSON or binary) or receipt, a payment voucher (JSON or
binary), a DID document, a private key file (its DID only), a log
checkpoint or note verifier key (a .vkey file), a transparency log or
aggregate receipt proof, a zero-knowledge proof or verifying key.
FILE may be - for standard input.

Each kind is recognised by its strict parser, which accepts exactly one
encoding, so a damaged file is reported as unrecognised with each parser's
reason. Inspect checks form only: signatures and proofs are not verified
(use 'iotrust verify'), except that checkpoints are checked against a
--log-key of their log when one is given: the exit status is 1 when one
does not verify.

Examples:
  iotrust inspect reading.evidence.json
  iotrust inspect --log-key "$KEY" /var/lib/iotrust/log/checkpoint
  gateway-cli voucher 42 | iotrust inspect -`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			var logKeys listFlag
			fs.Var(&logKeys, "log-key", "check checkpoints of the log whose note verifier key is `KEY`; repeat for several")
			return func(ctx context.Context, args []string) error {
				keys, err := parseLogKeys(logKeys)
				if err != nil {
					return err
				}
				raw, err := readInput(ctx, e, args[0], artefact.MaxSize)
				if err != nil {
					return err
				}
				a, err := artefact.Detect(raw)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				return artefact.Describe(e.stdout, a, keys)
			}
		},
	}
}
