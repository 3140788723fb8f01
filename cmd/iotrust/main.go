package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/iotrust/iotrust/quiet"
)

// Exit statuses.
const (
	exitOK      = 0 // everything checked holds
	exitFailed  = 1 // a check failed, or the command could not do its work
	exitUsage   = 2 // the command line is wrong
	programName = "iotrust"
)

func main() {
	// Tessera logs through klog's global logger and gnark through
	// zerolog's; a command-line tool speaks only through its own output.
	quiet.Libraries()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, the next one kills the program as if it
	// had never been caught, should a command be slow to stop.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now})
	stop()
	os.Exit(code)
}

// env is what a command may touch of the world: its streams, the clock and
// where the user's configuration lives. Tests run commands in-process with
// their own env.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	// configDir overrides os.UserConfigDir when set.
	configDir string
	// nodeTimeout overrides evmNodeTimeout when set.
	nodeTimeout time.Duration
}

// command is one subcommand.
type command struct {
	name  string // "verify", "did new"
	args  string // the synopsis after the name and [flags]
	short string // one line for the command list
	long  string // description, then examples
	// setup defines the command's flags on fs and returns the function
	// that runs it with the positional arguments.
	setup func(fs *flag.FlagSet, e *env) func(ctx context.Context, args []string) error
	// nargs is the number of positional arguments, or -1 for any.
	nargs int
}

func commands() []*command {
	return []*command{verifyCommand(), upgradeCommand(), inspectCommand(), didNewCommand(), didResolveCommand(), logCheckCommand(), versionCommand()}
}

// usageError is a wrong command line: the message and a pointer to help,
// exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// errReported is returned by a command that has printed why it failed.
var errReported = errors.New("failure already reported")

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	if e.now == nil {
		e.now = time.Now
	}
	if e.stdin == nil {
		e.stdin = strings.NewReader("")
	}
	cmds := commands()
	if len(args) == 0 {
		writeOverview(e.stderr, cmds)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 {
			writeOverview(e.stdout, cmds)
			return exitOK
		}
		if c := find(cmds, args[1:]); c != nil {
			writeHelp(e.stdout, c, newFlagSet(c))
			return exitOK
		}
		if len(args) == 2 && groupHasCommands(cmds, args[1]) {
			writeGroup(e.stdout, cmds, args[1])
			return exitOK
		}
		fmt.Fprintf(e.stderr, "%s help: unknown command %q\n", programName, strings.Join(args[1:], " "))
		return exitUsage
	case "-v", "-version", "--version":
		args = []string{"version"}
	}
	c := find(cmds, args)
	if c == nil {
		if groupHasCommands(cmds, args[0]) {
			if len(args) == 2 && isHelpFlag(args[1]) {
				writeGroup(e.stdout, cmds, args[0])
				return exitOK
			}
			fmt.Fprintf(e.stderr, "%s %s: name a subcommand:\n", programName, args[0])
			writeGroup(e.stderr, cmds, args[0])
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "%s: unknown command %q\nRun '%s help' for the list of commands.\n", programName, args[0], programName)
		return exitUsage
	}
	rest := args[len(strings.Fields(c.name)):]
	fs := newFlagSet(c)
	do := c.setup(fs, e)
	strictFlags(fs)
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		writeHelp(e.stdout, c, fs)
		return exitOK
	}
	if err == nil && c.nargs >= 0 && len(pos) != c.nargs {
		switch {
		case len(pos) < c.nargs:
			err = usagef("missing %s", strings.Fields(c.args)[len(pos)])
		default:
			err = usagef("unexpected argument %q", pos[c.nargs])
		}
	}
	if err == nil {
		err = do(ctx, pos)
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "%s %s: %s\nUsage: %s\nRun '%s %s -h' for help.\n", programName, c.name, ue.msg, synopsis(c), programName, c.name)
		return exitUsage
	case errors.Is(err, errReported):
		return exitFailed
	case ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "%s %s: interrupted\n", programName, c.name)
		return exitFailed
	default:
		fmt.Fprintf(e.stderr, "%s %s: %v\n", programName, c.name, err)
		return exitFailed
	}
}

func find(cmds []*command, args []string) *command {
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c
		}
	}
	return nil
}

func isHelpFlag(s string) bool { return s == "-h" || s == "-help" || s == "--help" }

// writeGroup lists the commands of a group ("did", "log").
func writeGroup(w io.Writer, cmds []*command, group string) {
	for _, c := range cmds {
		if strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(w, "  %s %-12s %s\n", programName, c.name, c.short)
		}
	}
}

func groupHasCommands(cmds []*command, group string) bool {
	for _, c := range cmds {
		if strings.HasPrefix(c.name, group+" ") {
			return true
		}
	}
	return false
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(programName+" "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by run, help by writeHelp
	return fs
}

// strictFlags makes fs refuse what the flag package lets pass silently: a
// flag that takes one value given twice (the last would win), and an
// empty value (as "--out $UNSET" gives), which no flag of iotrust means.
// Flags that may be repeated (listFlag) stay repeatable.
func strictFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		_, repeatable := f.Value.(*listFlag)
		f.Value = &strictValue{Value: f.Value, once: !repeatable}
	})
}

// strictValue is a flag.Value that refuses an empty value, and a second
// value when once is set.
type strictValue struct {
	flag.Value
	once, set bool
}

func (v *strictValue) Set(s string) error {
	if s == "" && !v.IsBoolFlag() {
		return errors.New("empty value")
	}
	if v.once && v.set {
		return errors.New("flag given twice")
	}
	v.set = true
	return v.Value.Set(s)
}

// IsBoolFlag reports whether the flag is a boolean, which the flag package
// asks to let it stand without a value.
func (v *strictValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseInterspersed parses flags placed before, between or after the
// positional arguments, as users of command-line tools expect; everything
// after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func synopsis(c *command) string {
	s := programName + " " + c.name + " [flags]"
	if c.args != "" {
		s += " " + c.args
	}
	return s
}

func writeOverview(w io.Writer, cmds []*command) {
	fmt.Fprintf(w, `%s checks the evidence iotrust systems produce: signed device readings,
their Merkle proofs and ledger receipts, transparency logs, DIDs.

Usage:
  %s <command> [flags] [arguments]

Commands:
`, programName, programName)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, `
Run '%s help <command>' or '%s <command> -h' for a command's flags and examples.
Exit status: 0 when everything checked holds, 1 when a check fails or the
work cannot be done, 2 for a wrong command line.
`, programName, programName)
}

func writeHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", synopsis(c), strings.TrimSpace(c.long))
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	fmt.Fprintf(w, "\nFlags:\n")
	for _, n := range names {
		f := fs.Lookup(n)
		arg, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(n) == 1 {
			dash = "-"
		}
		head := "  " + dash + n
		if arg != "" {
			head += " " + arg
		}
		fmt.Fprintf(w, "%s\n      %s", head, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	}
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func versionCommand() *command {
	return &command{
		name:  "version",
		short: "print the version of iotrust this program was built from",
		long:  "Version prints the module version and the Go version of this build.",
		setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
			return func(context.Context, []string) error {
				v, gov := "(unknown)", "(unknown)"
				if bi, ok := debug.ReadBuildInfo(); ok {
					v, gov = bi.Main.Version, bi.GoVersion
				}
				fmt.Fprintf(e.stdout, "%s %s (%s)\n", programName, v, gov)
				return nil
			}
		},
	}
}
