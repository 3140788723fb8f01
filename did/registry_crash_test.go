package did

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/internal/crashtest"
)

const crashChildEnv = "IOTRUST_DID_REGISTRY_CRASH_CHILD"

// crashChild appends to the registry at path forever, printing "ack N"
// after entry N's Append has returned, until it is killed.
func crashChild(path string) {
	ctx := context.Background()
	r, err := OpenRegistry(ctx, path, RegistryOptions{Now: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	for {
		n, _ := r.Head()
		at := t0.Add(time.Duration(n) * time.Millisecond)
		var err error
		if n%4 == 3 { // the device registered just before rotates its key
			dev := crashDevice(n - 1)
			_, err = r.Rotate(ctx, dev.key, dev.did, crashDevice(1_000_000+n).key.Public(), at)
		} else { // a device registers itself
			dev := crashDevice(n)
			_, err = r.Register(ctx, dev.key, dev.did, dev.did, dev.key.Public(), at)
		}
		if err != nil {
			fmt.Println("append:", err)
			os.Exit(3)
		}
		fmt.Printf("ack %d\n", n)
	}
}

func crashDevice(i uint64) party {
	seed := make([]byte, 32)
	copy(seed, strconv.FormatUint(i, 10))
	seed[31] = 0xd1
	k, _ := Ed25519.DeriveKey(seed)
	d, _ := New(k.Public())
	return party{k, d}
}

// TestRegistrySurvivesSIGKILL re-runs this test binary as a child that
// appends entries as fast as it can, kills it with SIGKILL at a random
// moment, reopens the registry and checks that every entry the child
// acknowledged is there and the log verifies — 20 times over one file.
func TestRegistrySurvivesSIGKILL(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	rounds := crashtest.Kills(t, "", 20, 0)
	path := filepath.Join(t.TempDir(), "registry.log")
	var acked int64 = -1
	for round := range rounds {
		crashtest.Run(t, crashtest.Round{
			Test:  "TestRegistrySurvivesSIGKILL",
			Env:   []string{crashChildEnv + "=" + path},
			Delay: time.Duration(rand.IntN(200)) * time.Millisecond,
			Line: func(l string) {
				seq, ok := strings.CutPrefix(l, "ack ")
				if !ok {
					t.Fatalf("round %d: child says %q", round, l)
				}
				n, _ := strconv.ParseInt(seq, 10, 64)
				if n != acked+1 {
					t.Fatalf("round %d: ack %d after ack %d", round, n, acked)
				}
				acked = n
			},
		})

		r, err := OpenRegistry(context.Background(), path, RegistryOptions{Now: func() time.Time { return t0.Add(time.Hour) }})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		n, _ := r.Head()
		if int64(n) < acked+1 {
			t.Fatalf("round %d: %d entries survive, %d were acknowledged", round, n, acked+1)
		}
		// every acknowledged registration resolves
		for i := uint64(0); int64(i) <= acked; i += 4 {
			if _, err := r.KeyAt(context.Background(), crashDevice(i).did, t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
				t.Fatalf("round %d: device %d: %v", round, i, err)
			}
		}
		acked = int64(n) - 1 // an entry written but not yet acknowledged may survive too
		r.Close()
	}
	t.Logf("%d kills, %d entries", rounds, acked+1)
}
