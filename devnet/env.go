package devnet

import (
	"context"
	"crypto/ecdsa"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Flags are the flags that point a development program at real
// infrastructure instead of the embedded defaults: where its output goes
// (-out), where its transparency log is kept (-log-dir), which chain it
// uses (-rpc, with the funder key -key, asked every -poll), and the MQTT
// broker its devices publish to (-mqtt).
type Flags struct {
	// Out is the directory for the program's output (evidence bundles,
	// bills, tickets); empty: a new temporary directory, which is kept.
	Out string
	// LogDir keeps the transparency log across runs; empty: a directory
	// inside the run's temporary work directory.
	LogDir string
	// RPC is the JSON-RPC URL of an EVM node; empty: the simulated chain.
	RPC string
	// Key is the hex private key of an account funded on the RPC chain
	// (ChainConfig.FunderKey).
	Key string
	// Poll is how often waits ask the RPC chain's node again
	// (ChainConfig.PollInterval); zero: the waits' defaults, about a
	// second.
	Poll time.Duration
	// MQTT is the URL of an MQTT broker the program's devices publish
	// their readings to, where its gateway subscribes (package mqttgw);
	// empty: readings are handed to the gateway in process. OpenEnv does
	// not use it.
	MQTT string
}

// Register defines -out, -log-dir, -rpc, -key, -poll and -mqtt on fs,
// storing into f.
// out says what the program writes to -out, e.g. "evidence bundles". The
// default of -key is the value of $IOTRUST_FUNDER_KEY (FunderKeyEnv).
func (f *Flags) Register(fs *flag.FlagSet, out string) {
	fs.StringVar(&f.Out, "out", "", "write "+out+" to `dir` (default: a new temporary directory)")
	fs.StringVar(&f.LogDir, "log-dir", "", "keep the Tessera transparency log in `dir` across runs (default: a temporary one)")
	fs.StringVar(&f.RPC, "rpc", "", "JSON-RPC `url` of an EVM node (default: go-ethereum's simulated chain in this process)")
	fs.StringVar(&f.Key, "key", os.Getenv(FunderKeyEnv), "hex private `key` of an account funded on the -rpc chain, paying every party's gas (default: $"+FunderKeyEnv+")")
	fs.DurationVar(&f.Poll, "poll", 0, "with -rpc, ask the node for receipts and chain time every `interval` (default: about a second, for a public chain)")
	fs.StringVar(&f.MQTT, "mqtt", "", "devices publish their readings to the MQTT broker at `url` (mqtt://host:port), where the gateway subscribes (default: handed over in process)")
}

// Env is what a development program runs on, made from its Flags: its
// chain (embedded: the Chain's methods are the Env's), a GasBook for the
// run's transactions, and its directories.
type Env struct {
	*Chain
	// Gas records the run's transactions; the program adds to it.
	Gas GasBook
	// Work is a temporary directory for the run's state, removed by Close.
	Work string
	// Out is where the program writes what it hands out (Flags.Out,
	// created if missing, or a new temporary directory); Close keeps it.
	Out string
	// LogDir is where the program keeps its transparency log (Flags.LogDir
	// or Work/log).
	LogDir string
	// ChainName names the chain for a narrative: "the simulated chain" or
	// the RPC URL.
	ChainName string
}

// OpenEnv makes the directories of Flags f (temporary ones named after
// name, e.g. "iotrust-NAME-") and opens its chain (OpenChain; waits for
// transactions and chain time show progress on progress, if not nil).
// The caller closes the Env.
func OpenEnv(ctx context.Context, name string, f Flags, progress io.Writer) (_ *Env, err error) {
	e := &Env{Out: f.Out, LogDir: f.LogDir, ChainName: "the simulated chain"}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.Work, err = os.MkdirTemp("", "iotrust-"+name+"-"); err != nil {
		return nil, err
	}
	if e.Out == "" {
		if e.Out, err = os.MkdirTemp("", "iotrust-"+name+"-out-"); err != nil {
			return nil, err
		}
	} else if err = os.MkdirAll(e.Out, 0o755); err != nil {
		return nil, err
	}
	if e.LogDir == "" {
		e.LogDir = filepath.Join(e.Work, "log")
	}
	cfg := ChainConfig{RPC: f.RPC, FunderKey: f.Key, PollInterval: f.Poll}
	if progress != nil {
		cfg.Progress = Progress(progress)
	}
	if e.Chain, err = OpenChain(ctx, cfg); err != nil {
		return nil, err
	}
	if f.RPC != "" {
		e.ChainName = f.RPC
	}
	return e, nil
}

// Close closes the chain and removes the work directory; the output
// directory and a -log-dir stay.
func (e *Env) Close() {
	if e.Chain != nil {
		e.Chain.Close()
	}
	if e.Work != "" {
		_ = os.RemoveAll(e.Work)
	}
}

// Printer writes a program's narrative to W. Write errors are ignored: the
// narrative is for people, and the program's outcome is its exit status.
type Printer struct{ W io.Writer }

// Printf writes a formatted piece of the narrative.
func (p Printer) Printf(format string, a ...any) { _, _ = fmt.Fprintf(p.W, format, a...) }

// Println writes a line of the narrative.
func (p Printer) Println(a ...any) { _, _ = fmt.Fprintln(p.W, a...) }

// Progress runs wait, showing progress as Progress does.
func (p Printer) Progress(label string, wait func() error) error { return Progress(p.W)(label, wait) }

// Decimal formats x, an amount in a currency's smallest unit, with the
// given number of decimals, exactly (no float): Decimal(4814700, 6) is
// "4.814700".
func Decimal(x *big.Int, decimals int) string {
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	q, r := new(big.Int).QuoRem(x, unit, new(big.Int))
	sign := ""
	if x.Sign() < 0 && q.Sign() == 0 {
		sign = "-"
	}
	if decimals <= 0 {
		return q.String()
	}
	frac := r.Abs(r).String()
	return sign + q.String() + "." + strings.Repeat("0", decimals-len(frac)) + frac
}

// Accounts makes n fresh keys and funds each one's account with amount
// from the funder: the parties of a run, on either chain.
func (e *Env) Accounts(ctx context.Context, amount *big.Int, n int) ([]*ecdsa.PrivateKey, error) {
	keys := make([]*ecdsa.PrivateKey, n)
	addrs := make([]common.Address, n)
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		keys[i], addrs[i] = k, crypto.PubkeyToAddress(k.PublicKey)
	}
	if err := e.Fund(ctx, amount, addrs...); err != nil {
		return nil, err
	}
	return keys, nil
}
