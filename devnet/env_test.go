package devnet_test

import (
	"context"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/devnet"
)

// Register defines the flags with their defaults, and OpenEnv makes the
// directories, the simulated chain and funded parties; Close removes the
// work directory but keeps the output.
func TestEnv(t *testing.T) {
	t.Setenv(devnet.FunderKeyEnv, "abcd")
	var f devnet.Flags
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f.Register(fs, "bundles")
	if err := fs.Parse([]string{"-out", filepath.Join(t.TempDir(), "new", "out"), "-mqtt", "mqtt://b:1883", "-poll", "25ms"}); err != nil {
		t.Fatal(err)
	}
	if f.Key != "abcd" || f.MQTT != "mqtt://b:1883" || f.RPC != "" || f.LogDir != "" || f.Poll != 25*time.Millisecond {
		t.Fatalf("parsed %+v", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env, err := devnet.OpenEnv(ctx, "envtest", f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !env.Simulated() || env.ChainName != "the simulated chain" || env.Out != f.Out || filepath.Dir(env.LogDir) != env.Work {
		t.Fatalf("env %+v", env)
	}
	if got := env.SettleConfig().PollInterval; got != time.Millisecond {
		t.Fatalf("the simulated chain polls every %v, want 1ms whatever -poll says", got)
	}
	keys, err := env.Accounts(ctx, big.NewInt(1e15), 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if b, err := env.Balance(ctx, crypto.PubkeyToAddress(k.PublicKey)); err != nil || b.Int64() != 1e15 {
			t.Fatalf("party holds %v, %v", b, err)
		}
	}
	env.Close()
	if _, err := os.Stat(env.Work); !os.IsNotExist(err) {
		t.Fatalf("work directory after Close: %v", err)
	}
	if _, err := os.Stat(env.Out); err != nil {
		t.Fatalf("output directory after Close: %v", err)
	}
	// A real chain needs its funder key.
	if _, err := devnet.OpenEnv(ctx, "envtest", devnet.Flags{RPC: "http://127.0.0.1:1"}, nil); err == nil {
		t.Fatal("RPC without a key accepted")
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		x    int64
		d    int
		want string
	}{
		{4814700, 6, "4.814700"}, {5, 6, "0.000005"}, {-5, 6, "-0.000005"}, {-1500000, 6, "-1.500000"}, {42, 0, "42"},
	} {
		if got := devnet.Decimal(big.NewInt(c.x), c.d); got != c.want {
			t.Errorf("Decimal(%d, %d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
}
