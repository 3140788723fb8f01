package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
)

func verifyCommand() *command {
	return &command{
		name:  "verify",
		args:  "BUNDLE",
		nargs: 1,
		short: "check an evidence bundle offline against the keys you trust",
		long: `
Verify checks an evidence bundle (a .evidence.json file, or - for standard
input) offline and prints every check it makes with its outcome: pass, fail
or skip, and why. Nothing in the bundle is trusted for itself: the device
signatures are checked against the devices' DIDs (did:key and did:jwk),
the Merkle proof against the anchored commitment, and each receipt against
the ledger you trust. A device managed in a DID registry is checked
against the registry's log given with --registry: without it,
a did:key device is checked against the key its DID names, which the
registry may have revoked or rotated out. A --log-key trusts the log's
own receipts and those of aggregators (anchor/aggregate) whose
aggregates it holds;
--evm-contract with --evm-node trusts the receipts of an EVM anchor
contract (and of aggregators anchoring on it), each checked from its
block's header as the node you name serves it (your own node, say), and
only in a block final there: at or below the node's finalized block, or
with --evm-confirmations N, N blocks deep.
Verify goes online only to that node and to --status-list URLs. The exit
status is 1 if any check fails.

The checks, in order: bundle (well formed), reading[i] (device signature),
credential (trusted issuer, covers the readings, not revoked in the
--status-list given; skipped without --issuer, and when the bundle has no
credential unless --require-credential),
inclusion (readings in the committed batch), window (reading times inside
the batch window), receipt[i] (ledger proof; skipped for untrusted ledgers
and receipts not yet final — run 'iotrust upgrade'), anchored (at least
--min-receipts receipts verified), zkp (zero-knowledge proof; skipped
without a --zk-key of its shape).

Examples:
  iotrust verify --log-key 'example.com/anchors+1a2b3c4d+AcB...' reading.evidence.json
  curl -s https://gw.example.com/evidence/ID | iotrust verify --log-key "$KEY" -
  iotrust verify --log-key "$LOG_A" --log-key "$LOG_B" --min-receipts 2 \
      --issuer did:key:z6Mk... --zk-key reading.vk --json b.evidence.json
  iotrust verify --log-key "$KEY" --issuer did:key:z6Mk... \
      --status-list revocations.jwt b.evidence.json
  iotrust verify --log-key "$KEY" --registry registry.log b.evidence.json
  iotrust verify --evm-node http://localhost:8545 \
      --evm-contract 0x5FbDB2315678afecb367f032d93F642f64180aa3 b.evidence.json`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			var logKeys, issuers, zkKeys, statusSrcs listFlag
			fs.Var(&logKeys, "log-key", "trust the transparency log whose note verifier key (origin+hash+base64) is `KEY`; repeat for several")
			fs.Var(&issuers, "issuer", "trust device credentials issued by this `DID`; repeat for several")
			fs.Var(&statusSrcs, "status-list", "check the device credential's revocation status in the status list credential in `FILE|URL` (a file, or fetched from an http(s) URL); repeat for several; needs --issuer")
			fs.Var(&zkKeys, "zk-key", "verify zero-knowledge proofs with the verifying key in `FILE`; repeat for several")
			requireCred := fs.Bool("require-credential", false, "fail a bundle that carries no device credential (without it, such a bundle passes with the credential check skipped); needs --issuer")
			minReceipts := fs.Int("min-receipts", 1, "at least `N` receipts, from different ledgers, must verify")
			asJSON := fs.Bool("json", false, "print the report as JSON")
			evmURL := fs.String("evm-node", "", "check EVM receipts against the block headers the node at `URL` serves (an RPC endpoint you trust); needs --evm-contract")
			evmAddr := fs.String("evm-contract", "", "trust the receipts of the EVM anchor contract at `ADDRESS`; needs --evm-node")
			evmConfirmations := fs.Uint64("evm-confirmations", 0, "an EVM receipt counts once `N` blocks are built on its block (default: once the node's finalized block reaches it)")
			registry := fs.String("registry", "", "resolve device and issuer keys through the DID registry log in `FILE` (the gateway's, even while it runs, or a copy; read, never written or locked): a key rotated out or revoked there fails; DIDs it does not hold resolve from themselves")
			return func(ctx context.Context, args []string) error {
				if *minReceipts < 1 || *minReceipts > evidence.MaxReceipts {
					return usagef("--min-receipts must be between 1 and %d", evidence.MaxReceipts)
				}
				if *evmConfirmations > 0 && (*evmURL == "" || *evmAddr == "") {
					return usagef("--evm-confirmations needs --evm-node and --evm-contract")
				}
				keys, err := parseLogKeys(logKeys)
				if err != nil {
					return err
				}
				var reg *did.Registry
				if *registry != "" {
					if reg, err = openRegistry(ctx, *registry); err != nil {
						return err
					}
					defer reg.Close()
				}
				for _, iss := range issuers {
					// Issuer keys are resolved offline, from the DID
					// itself or the registry: an issuer that does not
					// resolve so (a typo, another method) could never be
					// matched.
					if _, err := did.ResolveKey(iss); err != nil {
						if reg == nil {
							return usagef("--issuer %q: %v (verify checks credentials of did:key and did:jwk issuers, and of issuers in a --registry)", iss, err)
						}
						if _, serr := reg.Status(iss); serr != nil {
							return usagef("--issuer %q: %v, and the registry: %v", iss, err, serr)
						}
					}
				}
				stdins := 0
				for _, src := range append([]string{args[0]}, statusSrcs...) {
					if src == "-" {
						stdins++
					}
				}
				if stdins > 1 {
					return usagef("standard input (-) can be read once: give the bundle or one status list there, the rest as files")
				}
				if len(statusSrcs) > 0 && len(issuers) == 0 {
					return usagef("--status-list needs --issuer: a status list counts only from a trusted issuer")
				}
				if *requireCred && len(issuers) == 0 {
					return usagef("--require-credential needs --issuer: a credential counts only from a trusted issuer")
				}
				trust := evidence.Trust{MinReceipts: *minReceipts, RequireCredential: *requireCred}
				if reg != nil {
					// The registry first: a DID it holds is answered by it
					// alone (rotated out, revoked); others self-certify.
					trust.Keys = did.KeyResolvers{reg, did.SelfCertifying{}}
				}
				for _, k := range keys {
					// The log's own receipts, and those of aggregators
					// whose aggregates it anchors: their member paths are
					// checked offline, their inner receipts with the key.
					agg, err := aggregate.NewVerifier(k.Verifier)
					if err != nil {
						return err
					}
					trust.Ledgers = append(trust.Ledgers,
						evidence.Ledger{Name: tlog.LedgerName, Chain: k.Origin(), Verifier: k.Verifier},
						evidence.Ledger{Name: aggregate.LedgerName, Chain: k.Origin(), Verifier: agg})
				}
				if *evmURL != "" || *evmAddr != "" {
					node, err := dialEVM(ctx, e, *evmURL, *evmAddr, *evmConfirmations)
					if err != nil {
						return err
					}
					defer node.Close()
					trust.Ledgers = append(trust.Ledgers, node.ledgers()...)
				}
				for _, path := range zkKeys {
					vk, err := readVerifyingKey(ctx, path)
					if err != nil {
						return err
					}
					trust.ZKPKeys = append(trust.ZKPKeys, vk)
				}
				var status *vc.StatusCache
				if len(statusSrcs) > 0 {
					if status, err = statusLists(ctx, e, statusSrcs, issuers); err != nil {
						return err
					}
				}
				raw, err := readInput(ctx, e, args[0], evidence.MaxSize)
				if err != nil {
					return err
				}
				var rep *evidence.Report
				b, err := evidence.Parse(raw)
				if err != nil {
					// The same report Verify gives for a bundle that does
					// not hang together: one failed check, nothing else.
					rep = &evidence.Report{Checks: []evidence.Check{{Name: "bundle", Outcome: evidence.Fail, Reason: err.Error(), Err: err}}}
				} else {
					if len(issuers) > 0 {
						trust.Credentials = vc.NewVerifier(vc.VerifierConfig{
							TrustedIssuers: issuers,
							Keys:           trust.Keys, // nil: from the DIDs themselves
							// The credential must have been valid when the
							// device took its readings, not today.
							Now: func() time.Time { return earliestReading(b) },
							// Revocation as the lists say now: a list
							// tells the current status, not its history.
							Status: status,
						})
					}
					rep = evidence.Verify(ctx, b, trust)
					if status == nil {
						hintStatusList(rep)
					}
					if reg == nil {
						hintRegistry(rep)
					}
				}
				if reg != nil && !*asJSON {
					n, head := reg.Head()
					if _, err := fmt.Fprintf(e.stdout, "registry %s: %s, head %s\n", *registry, plural(int(n), "entry"), head); err != nil {
						return err
					}
				}
				if err := printReport(e.stdout, rep, b, *asJSON); err != nil {
					return err
				}
				if !rep.OK() {
					return errReported
				}
				return nil
			}
		},
	}
}

// openRegistry replays the registry log at path read-only (every link
// and signature checked, nothing written, no lock taken), so that the file
// may be an auditor's copy or the one a gateway holds open: a torn tail is
// read up to and left in place.
func openRegistry(ctx context.Context, path string) (*did.Registry, error) {
	reg, err := did.ReadRegistryFile(ctx, path, did.RegistryOptions{})
	var pe *fs.PathError
	if errors.As(err, &pe) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)) {
		return nil, usagef("--registry: %v", pe)
	}
	if err != nil {
		return nil, fmt.Errorf("--registry %s: %w", path, err)
	}
	return reg, nil
}

// hintRegistry adds to a signature check that failed for a device DID no
// key resolves from itself how to give the registry that manages it.
func hintRegistry(rep *evidence.Report) {
	for i, c := range rep.Checks {
		if strings.HasPrefix(c.Name, "reading[") && c.Outcome == evidence.Fail && errors.Is(c.Err, did.ErrUnsupportedMethod) {
			rep.Checks[i].Reason += " (give the DID registry that manages the device with --registry FILE)"
		}
	}
}

// hintStatusList adds to a credential check that failed for want of a
// status list how to give one.
func hintStatusList(rep *evidence.Report) {
	for i, c := range rep.Checks {
		if c.Name == "credential" && c.Outcome == evidence.Fail && errors.Is(c.Err, vc.ErrStatusUnavailable) {
			rep.Checks[i].Reason += " (give its status list with --status-list FILE|URL)"
		}
	}
}

func earliestReading(b *evidence.Bundle) time.Time {
	t := b.Readings[0].Time
	for _, r := range b.Readings[1:] {
		if r.Time.Before(t) {
			t = r.Time
		}
	}
	return t
}

func printReport(w io.Writer, rep *evidence.Report, b *evidence.Bundle, asJSON bool) error {
	if asJSON {
		out := struct {
			Checks []evidence.Check `json:"checks"`
			OK     bool             `json:"ok"`
		}{rep.Checks, rep.OK()}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if _, err := io.WriteString(w, rep.String()); err != nil {
		return err
	}
	if !rep.OK() {
		_, err := fmt.Fprintf(w, "NOT VERIFIED: %s failed\n", strings.Join(rep.Names(evidence.Fail), ", "))
		return err
	}
	devices := map[string]bool{}
	for _, r := range b.Readings {
		devices[r.Device] = true
	}
	verified := 0
	for _, c := range rep.Checks {
		if strings.HasPrefix(c.Name, "receipt[") && c.Outcome == evidence.Pass {
			verified++
		}
	}
	_, err := fmt.Fprintf(w, "VERIFIED: %s of %s on %s, anchored on %s\n",
		plural(len(b.Readings), "reading"), plural(len(devices), "device"), b.Commitment.Topic, plural(verified, "ledger"))
	return err
}

// plural returns "1 reading", "2 readings", "3 entries".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// parseLogKeys parses --log-key values; two keys for one log are refused.
func parseLogKeys(texts []string) (audit.Keys, error) {
	var keys audit.Keys
	for _, s := range texts {
		k, err := audit.ParseKey(s)
		if err != nil {
			return nil, usagef("--log-key: %v", err)
		}
		if _, dup := keys.For(k.Origin()); dup {
			return nil, usagef("--log-key: two keys for the log %s", k.Origin())
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// readInput reads the file at path, or standard input for "-", refusing
// more than max bytes. It returns ctx's error as soon as ctx is done, even
// while a read blocks (a terminal, a pipe or a FIFO that nothing writes):
// Ctrl-C must stop the program.
func readInput(ctx context.Context, e *env, path string, max int64) ([]byte, error) {
	return interruptible(ctx, func() ([]byte, error) { return readInputBlocking(e, path, max) })
}

// interruptible returns what f returns, or ctx's error as soon as ctx is
// done; f then goes on in the background until it returns, its result
// dropped. It is for reads that no context reaches, in a program that
// exits once the command returns.
func interruptible[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func readInputBlocking(e *env, path string, max int64) ([]byte, error) {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = e.stdin, "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return readAtMost(r, name, max)
}

// readAtMost reads r to its end, refusing more than max bytes; name says
// what r is in errors.
func readAtMost(r io.Reader, name string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes, more than any such file", name, max)
	}
	return b, nil
}

func readVerifyingKey(ctx context.Context, path string) (*zkp.VerifyingKey, error) {
	return interruptible(ctx, func() (*zkp.VerifyingKey, error) { return readVerifyingKeyBlocking(path) })
}

func readVerifyingKeyBlocking(path string) (*zkp.VerifyingKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--zk-key: %w", err)
	}
	defer f.Close()
	vk, err := zkp.ReadVerifyingKey(f)
	if err != nil {
		return nil, fmt.Errorf("--zk-key %s: %w", path, err)
	}
	return vk, nil
}
