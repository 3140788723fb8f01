package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/atomicfile"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/evidence"
)

func upgradeCommand() *command {
	return &command{
		name:  "upgrade",
		args:  "BUNDLE",
		nargs: 1,
		short: "bring a bundle's pending receipts to final from the ledger's public files or an EVM node",
		long: `
Upgrade replaces the receipts of an evidence bundle that are not final yet
(a gateway hands out bundles as soon as a batch is anchored, before the
ledger has committed to it) with final ones, read from the transparency
log itself: its signed checkpoint and its tiles, from a directory or over
HTTP (the c2sp.org/tlog-tiles layout that Tessera writes and serves). No
gateway and no private key are involved: each new receipt carries an
inclusion proof in a checkpoint that the --log-key of its log verifies,
and is checked before it is written. Receipts of an aggregator whose
aggregates the log holds are upgraded the same way (their path into the
aggregate never changes).

Receipts of an EVM anchor contract (and of aggregates anchored on it) are
upgraded from a node you trust: --evm-node URL with --evm-contract ADDRESS.
A receipt is final once the node's finalized block reaches its block, or,
with --evm-confirmations N, once N blocks are built on it; each final
receipt carries a fresh proof from its block's header and is checked
against the header the node serves before it is written.

The log's checkpoint is compared with the one remembered in the state
file that log check keeps (--state, by default logs.json in the iotrust
folder of your configuration directory): its tree must extend the
remembered tree, proven from the log's tiles. A log that rewrote or
forked its history is refused with both signed checkpoints printed, and
nothing is written. After the bundle is written, the checkpoint its
receipts are proven in is remembered there, so that every later upgrade
and log check holds the log to it. Without --state and without a
configuration directory (no HOME), nothing is compared or remembered, and
standard error says so.

Final receipts are kept as they are. A receipt whose entry the log's
checkpoint does not cover yet stays as it is; run upgrade again later. The
exit status is 1 when a receipt could not be made final; the bundle is
written all the same, with every receipt that could be.

The result goes to -o FILE, a new file (an existing file is never
overwritten; - for standard output), or replaces BUNDLE with --in-place.
A one-line summary per receipt goes to standard error. An interrupted
upgrade writes nothing.

Examples:
  iotrust upgrade --log /var/lib/iotrust/log --log-key "$KEY" --in-place r.evidence.json
  iotrust upgrade --log https://log.example.com/anchors/ --log-key "$KEY" \
      -o final.evidence.json pending.evidence.json
  iotrust upgrade --evm-node http://localhost:8545 \
      --evm-contract 0x5FbDB2315678afecb367f032d93F642f64180aa3 --in-place r.evidence.json`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			var logs, logKeys listFlag
			fs.Var(&logs, "log", "read the transparency log at `DIR|URL` (its checkpoint and tiles); repeat for several")
			fs.Var(&logKeys, "log-key", "the note verifier `KEY` of a log (origin+hash+base64); repeat for several")
			out := fs.String("o", "", "write the upgraded bundle to `FILE`, which must not exist (- for standard output)")
			inPlace := fs.Bool("in-place", false, "replace BUNDLE with the upgraded bundle")
			statePath := fs.String("state", "", "compare the log's checkpoint with, and remember it in, `FILE` (default: logs.json in the iotrust configuration directory, as log check)")
			evmURL := fs.String("evm-node", "", "upgrade EVM receipts from the node at `URL` (an RPC endpoint you trust); needs --evm-contract")
			evmAddr := fs.String("evm-contract", "", "the EVM anchor contract at `ADDRESS` whose receipts are upgraded; needs --evm-node")
			confirmations := fs.Uint64("evm-confirmations", 0, "an EVM receipt is final once `N` blocks are built on its block (default: once the node's finalized block reaches it)")
			return func(ctx context.Context, args []string) error {
				evmGiven := *evmURL != "" || *evmAddr != ""
				switch {
				case !evmGiven && *confirmations > 0:
					return usagef("--evm-confirmations needs --evm-node and --evm-contract")
				case len(logs) == 0 && !evmGiven:
					return usagef("name the ledger to upgrade from: --log DIR|URL with --log-key, or --evm-node URL with --evm-contract")
				case len(logs) > 0 && len(logKeys) == 0:
					return usagef("give the log's key with --log-key")
				case len(logs) == 0 && *statePath != "":
					return usagef("--state holds logs' checkpoints: it needs --log")
				case (*out == "") == !*inPlace:
					return usagef("give exactly one of -o FILE and --in-place")
				case *inPlace && args[0] == "-":
					return usagef("--in-place needs a file, not standard input")
				}
				keys, err := parseLogKeys(logKeys)
				if err != nil {
					return err
				}
				if !*inPlace && *out != "-" {
					// Refused before any work; atomicfile.CreateBytes refuses
					// again should the file appear meanwhile.
					if _, err := os.Lstat(*out); err == nil {
						return errOutputExists(*out)
					}
				}
				var (
					ups   []evidence.Upgrader
					tlogs []*audit.Upgrader
				)
				for _, loc := range logs {
					src, err := audit.Open(loc)
					if err != nil {
						return fmt.Errorf("--log %s: %w", loc, err)
					}
					u := audit.NewUpgrader(src, keys)
					ups, tlogs = append(ups, u), append(tlogs, u)
				}
				evmChain := "" // the chain of --evm-node, when given
				if evmGiven {
					node, err := dialEVM(ctx, e, *evmURL, *evmAddr, *confirmations)
					if err != nil {
						return err
					}
					defer node.Close()
					u, err := node.upgrader(ctx, *confirmations)
					if err != nil {
						return err
					}
					ups, evmChain = append(ups, u), node.chain
				}
				raw, err := readInput(ctx, e, args[0], evidence.MaxSize)
				if err != nil {
					return err
				}
				b, err := evidence.Parse(raw)
				if err != nil {
					return err
				}
				// The default state file is best effort: without a
				// configuration directory nothing was remembered to
				// compare with, and the upgrade goes on. A --state given
				// must work.
				var (
					remember []rememberable
					path     string
					state    *audit.State
				)
				if len(tlogs) > 0 { // a remembered checkpoint is a log's
					var err error
					path, state, err = loadState(ctx, e, *statePath)
					var ue usageError
					switch {
					case errors.As(err, &ue) && *statePath == "":
						fmt.Fprintf(e.stderr, "%s upgrade: %s; the log's checkpoint is not compared with a remembered one\n", programName, ue.msg)
					case err != nil:
						return err
					default:
						if remember, err = checkRemembered(ctx, e, tlogs, state, path); err != nil {
							return err
						}
					}
				}
				nb, uerr := evidence.Upgrade(ctx, b, ups...)
				if ctx.Err() != nil {
					// Receipts left pending only because the work was
					// cut short: write nothing, rather than a bundle
					// that says less than the log would have proven.
					return ctx.Err()
				}
				if nb == nil || uerr != nil && !errors.Is(uerr, evidence.ErrNotFinal) {
					return uerr
				}
				for i, r := range nb.Receipts {
					old := b.Receipts[i]
					msg := fmt.Sprintf("receipt[%d]  %s %s position %d: ", i, r.Ledger, r.Chain, r.Position)
					switch {
					case old.State == anchor.Final:
						msg += "final already"
					case r.State == anchor.Final:
						msg += fmt.Sprintf("%s -> final%s", old.State, proofNote(r))
					default:
						msg += fmt.Sprintf("still %s", r.State)
						for _, u := range tlogs {
							if cp, err := u.Checkpoint(ctx); err == nil && cp.Origin == r.Chain && cp.Size <= r.Position {
								msg += fmt.Sprintf(": the log's checkpoint of %s does not cover it yet; run upgrade again later", plural(int(cp.Size), "entry"))
							}
						}
						if evmChain != "" && r.Chain == evmChain {
							msg += ": the node does not hold its block as final yet, or did not answer (see below); run upgrade again later"
						}
					}
					fmt.Fprintln(e.stderr, msg)
				}
				enc, err := nb.Marshal()
				if err != nil {
					return err
				}
				dest := *out
				switch {
				case *inPlace:
					dest = args[0]
					err = replaceFile(dest, enc)
				case dest == "-":
					_, err = e.stdout.Write(enc)
				default:
					err = atomicfile.CreateBytes(dest, 0o644, enc)
				}
				if errors.Is(err, os.ErrExist) {
					return errOutputExists(dest)
				}
				if err != nil {
					return err
				}
				if dest != "-" {
					fmt.Fprintf(e.stderr, "wrote %s\n", dest)
				}
				if len(remember) > 0 {
					for _, r := range remember {
						state.Remember(r.key, r.cp, e.now())
					}
					if err := state.Save(followLinks(path)); err != nil {
						if *statePath != "" {
							return fmt.Errorf("the bundle is written, but the state file could not be: %w", err)
						}
						fmt.Fprintf(e.stderr, "%s upgrade: the checkpoint could not be remembered: %v\n", programName, err)
					}
				}
				if uerr != nil {
					fmt.Fprintf(e.stderr, "%s upgrade: %v\n", programName, uerr)
					return errReported
				}
				return nil
			}
		},
	}
}

// rememberable is a log's checkpoint checked against the state file, to
// be remembered once the bundle is written.
type rememberable struct {
	cp  tlog.Checkpoint
	key audit.Key
}

// checkRemembered checks each log's checkpoint against the one state
// remembers (see audit.Upgrader.CheckRemembered) and returns the
// checkpoints to remember. A log whose checkpoint cannot be read is left
// out, for the upgrade to report; a log that rewrote its history stops the
// upgrade with both checkpoints printed.
func checkRemembered(ctx context.Context, e *env, tlogs []*audit.Upgrader, state *audit.State, path string) ([]rememberable, error) {
	var out []rememberable
	for _, u := range tlogs {
		cp, key, seen, err := u.CheckRemembered(ctx, state)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err == nil:
			out = append(out, rememberable{cp, key})
		case errors.Is(err, tlog.ErrInconsistent):
			old, _, _ := state.Remembered(key)
			fmt.Fprintf(e.stderr, "%s upgrade: %s: %v\n", programName, cp.Origin, err)
			printFork(e.stderr, path, state.Logs[cp.Origin].Checked.Format("2006-01-02T15:04:05Z"), old, cp)
			fmt.Fprintln(e.stderr, "Nothing was written.")
			return nil, errReported
		case seen: // a remembered checkpoint it could not be compared with
			return nil, fmt.Errorf("%s: checking its checkpoint against the one remembered in %s: %w", cp.Origin, path, err)
		}
	}
	return out, nil
}

func errOutputExists(path string) error {
	return fmt.Errorf("-o %s: the file exists; not overwriting it (use --in-place to replace a bundle)", path)
}

// proofNote says which checkpoint a final tlog receipt, or the inner
// receipt of an aggregate receipt, is proven in.
func proofNote(r anchor.Receipt) string {
	via := ""
	if r.Ledger == aggregate.LedgerName {
		p, err := aggregate.OpenReceipt(r)
		if err != nil {
			return ""
		}
		r, via = p.Inner, "its aggregate "
	}
	var p tlog.InclusionProof
	if r.Ledger != tlog.LedgerName || p.UnmarshalBinary(r.Proof) != nil {
		return ""
	}
	return fmt.Sprintf(" (%sproven in the checkpoint of %s)", via, plural(int(p.TreeSize), "entry"))
}

// followLinks returns the file a symbolic link at path leads to, so that
// replacing a file through a temporary file renamed over it replaces the
// file the user named rather than the link; path itself when it is no
// link, or leads nowhere.
func followLinks(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		return p
	}
	return path
}

// replaceFile replaces the file at path (the file a link there leads to),
// keeping its permissions, through a temporary file renamed over it, so
// that a reader never sees half a bundle and an interrupted write leaves
// the old file.
func replaceFile(path string, data []byte) error {
	path = followLinks(path)
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, fi.Mode().Perm(), data)
}
