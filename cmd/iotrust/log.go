package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
)

func logCheckCommand() *command {
	return &command{
		name:  "log check",
		args:  "DIR|URL",
		nargs: 1,
		short: "audit a transparency log: signature, consistency with what you saw, every tile",
		long: `
Log check audits a Tessera transparency log (the ledger anchor/tlog
writes), from its directory or its URL, in three checks:

  checkpoint   the log's latest checkpoint is signed by its --log-key
  consistency  the log's tree extends the one this program saw at the last
               check (a consistency proof built from the tiles): a log that
               rewrote, removed or reordered entries it had shown cannot
               pass. The first check of a log has nothing to compare with
               and trusts what it sees (skip).
  fsck         every entry bundle is read, every entry is an iotrust
               commitment, every tile is rebuilt from the entries and the
               root must be the checkpoint's (--no-fsck skips it)

When every check passes, the checkpoint is remembered in the state file
(--state, by default logs.json in the iotrust folder of your configuration
directory) for the next check. On an inconsistency the remembered
checkpoint is kept and both signed checkpoints are printed: together they
prove that the log rewrote its history. Progress is shown on standard
error when it is a terminal.

Examples:
  iotrust log check --log-key "$KEY" /var/lib/iotrust/log
  iotrust log check --log-key "$KEY" --state audit/logs.json https://log.example.com/anchors/`,
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			var logKeys listFlag
			fs.Var(&logKeys, "log-key", "the log's note verifier `KEY` (origin+hash+base64); repeat to give keys of several logs")
			statePath := fs.String("state", "", "remember checkpoints in `FILE` (default: logs.json in the iotrust configuration directory)")
			noFsck := fs.Bool("no-fsck", false, "skip reading every entry and tile")
			return func(ctx context.Context, args []string) error {
				if len(logKeys) == 0 {
					return usagef("give the log's key with --log-key")
				}
				keys, err := parseLogKeys(logKeys)
				if err != nil {
					return err
				}
				path, state, err := loadState(ctx, e, *statePath)
				if err != nil {
					return err
				}
				src, err := audit.Open(args[0])
				if err != nil {
					return err
				}
				return checkLog(ctx, e, src, keys, state, path, !*noFsck)
			}
		},
	}
}

// loadState reads the state file of remembered checkpoints: flag's
// value, or logs.json in the iotrust folder of the configuration
// directory when flag is empty. A missing file is an empty state.
func loadState(ctx context.Context, e *env, flag string) (string, *audit.State, error) {
	path := flag
	if path == "" {
		dir := e.configDir
		if dir == "" {
			var err error
			if dir, err = os.UserConfigDir(); err != nil {
				return "", nil, usagef("no configuration directory (%v); name a state file with --state", err)
			}
		}
		path = filepath.Join(dir, "iotrust", "logs.json")
	}
	state, err := interruptible(ctx, func() (*audit.State, error) { return audit.LoadState(path) })
	if err != nil {
		return "", nil, fmt.Errorf("state file %s: %w", path, err)
	}
	return path, state, nil
}

func checkLog(ctx context.Context, e *env, src *audit.Source, keys audit.Keys, state *audit.State, statePath string, fsck bool) error {
	w := e.stdout
	report := func(outcome, name, reason string) { fmt.Fprintf(w, "%-4s  %s: %s\n", outcome, name, reason) }

	cp, key, err := audit.Checkpoint(ctx, src, keys)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		report("fail", "checkpoint", err.Error())
		fmt.Fprintf(w, "LOG NOT OK: %s\n", src)
		return errReported
	}
	report("pass", "checkpoint", fmt.Sprintf("%s, %s, root %x, signed by %s", cp.Origin, plural(int(cp.Size), "entry"), cp.Root, key.Text))

	old, seen, err := state.Remembered(key)
	switch {
	case err != nil:
		report("fail", "consistency", err.Error())
		fmt.Fprintf(w, "LOG NOT OK: %s\n", cp.Origin)
		return errReported
	case !seen:
		report("skip", "consistency", "first check of this log: nothing remembered to compare with")
	default:
		when := state.Logs[cp.Origin].Checked.Format("2006-01-02T15:04:05Z")
		if err := audit.Consistency(ctx, src, old, cp); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report("fail", "consistency", err.Error())
			if errors.Is(err, tlog.ErrInconsistent) {
				printFork(w, "", when, old, cp)
			}
			fmt.Fprintf(w, "LOG NOT OK: %s (the checkpoint remembered in %s is kept)\n", cp.Origin, statePath)
			return errReported
		}
		report("pass", "consistency", fmt.Sprintf("extends the tree of %s seen %s", plural(int(old.Size), "entry"), when))
	}

	if !fsck {
		report("skip", "fsck", "--no-fsck")
	} else {
		workers := uint(2)
		if strings.Contains(src.String(), "://") {
			workers = 8
		}
		err := audit.Fsck(ctx, src, key, cp, workers, progressLine(e.stderr, "fsck: entry bundles"))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report("fail", "fsck", err.Error())
			fmt.Fprintf(w, "LOG NOT OK: %s\n", cp.Origin)
			return errReported
		}
		bundles := (cp.Size + 255) / 256
		report("pass", "fsck", fmt.Sprintf("%s and their tiles rebuilt, root matches", plural(int(bundles), "entry bundle")))
	}

	state.Remember(key, cp, e.now())
	if err := state.Save(followLinks(statePath)); err != nil {
		return fmt.Errorf("the log checks out, but the state file could not be written: %w", err)
	}
	fmt.Fprintf(w, "LOG OK: %s, %s; remembered in %s\n", cp.Origin, plural(int(cp.Size), "entry"), statePath)
	return nil
}

// printFork prints the two signed checkpoints that prove a log rewrote its
// history: the one remembered (in statePath, when named; checked at when)
// and the one served now.
func printFork(w io.Writer, statePath, when string, remembered, served tlog.Checkpoint) {
	where := ""
	if statePath != "" {
		where = " in " + statePath
	}
	fmt.Fprintf(w, "\nThe log signed both of these checkpoints; no append-only log can have both.\nRemembered%s (checked %s):\n%s\nServed now:\n%s\n",
		where, when, indent(remembered.Raw), indent(served.Raw))
}

func indent(note []byte) string {
	lines := strings.Split(strings.TrimRight(string(note), "\n"), "\n")
	return "    " + strings.Join(lines, "\n    ")
}

// progressLine returns a progress callback that redraws one line on w when
// w is a terminal, and nil (no progress) otherwise, so that logs and pipes
// stay clean.
func progressLine(w io.Writer, what string) audit.Progress {
	if !isTerminal(w) {
		return nil
	}
	return func(done, total uint64) {
		fmt.Fprintf(w, "\r%s %d/%d", what, done, total)
		if done >= total {
			fmt.Fprintf(w, "\r\033[K")
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
