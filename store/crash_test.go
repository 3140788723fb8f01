package store

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/internal/crashtest"
	"github.com/ipfs/go-cid"
)

const crashChildEnv = "IOTRUST_STORE_CRASH_CHILD"

// crashChild puts, grants and revokes in dir until it is killed, printing
// "<op> <cid>" after each operation has returned.
func crashChild(dir string) {
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	gw, buyer := crashIdentities()
	for i := 0; ; i++ {
		c, err := s.Put(bg, fmt.Appendf(nil, "batch %d", i), gw.Recipient())
		if err != nil {
			fmt.Println("put:", err)
			os.Exit(3)
		}
		fmt.Println("put", c)
		if err := s.Grant(bg, c, gw, buyer.Recipient()); err != nil {
			fmt.Println("grant:", err)
			os.Exit(3)
		}
		fmt.Println("grant", c)
		if i%3 == 0 {
			if err := s.Revoke(bg, c, buyer.Recipient().ID()); err != nil {
				fmt.Println("revoke:", err)
				os.Exit(3)
			}
			fmt.Println("revoke", c)
		}
	}
}

func crashIdentities() (gw, buyer Identity) {
	gw, _ = GenerateIdentity(seeded(1))
	buyer, _ = GenerateIdentity(seeded(2))
	return gw, buyer
}

// TestStoreSurvivesSIGKILL re-runs this test binary as a child that writes
// as fast as it can, kills it with SIGKILL at a random moment, reopens the
// directory and checks that every acknowledged Put, Grant and Revoke holds
// and every object on disk is whole.
func TestStoreSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	kills := crashtest.Kills(t, "", 8, 0)
	dir := t.TempDir()
	gw, buyer := crashIdentities()
	buyerCan := map[cid.Cid]bool{}
	var order []cid.Cid
	for round := range kills {
		var last cid.Cid // the CID the next, unacknowledged operation may touch
		crashtest.Run(t, crashtest.Round{
			Test:  "TestStoreSurvivesSIGKILL",
			Env:   []string{crashChildEnv + "=" + dir},
			Delay: time.Duration(rand.IntN(200)) * time.Millisecond,
			Line: func(l string) {
				op, cs, ok := strings.Cut(l, " ")
				c, err := cid.Decode(cs)
				if !ok || err != nil {
					t.Fatalf("round %d: child says %q", round, l)
				}
				switch op {
				case "put":
					order = append(order, c)
					buyerCan[c] = false
				case "grant":
					buyerCan[c] = true
				case "revoke":
					buyerCan[c] = false
				default:
					t.Fatalf("round %d: child says %q", round, l)
				}
				last = c
			},
		})

		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for _, c := range order {
			if _, err := s.Get(bg, c, gw); err != nil {
				t.Fatalf("round %d: acknowledged %s: %v", round, c, err)
			}
			_, err := s.Get(bg, c, buyer)
			if c == last {
				// Its next operation may or may not have landed; later
				// rounds never touch it again, so what is there now stays.
				buyerCan[c] = err == nil
			}
			if buyerCan[c] != (err == nil) || (err != nil && !errors.Is(err, ErrNotRecipient)) {
				t.Fatalf("round %d: buyer on %s: want access %v, got %v", round, c, buyerCan[c], err)
			}
		}
		checkObjects(t, dir)
		s.Close()
	}
	t.Logf("%d blobs over %d kills", len(order), kills)
}

// checkObjects verifies every object file: blobs hash to their name,
// envelopes parse and name their file's CID, nothing else lies around.
func checkObjects(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if rel == lockName {
			return nil
		}
		if len(parts) != 3 {
			return fmt.Errorf("stray file %s", rel)
		}
		c, err := cid.Decode(parts[2])
		if err != nil {
			return fmt.Errorf("%s: %v", rel, err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch parts[0] {
		case "blob":
			d, err := cidDigest(c)
			if err != nil {
				return err
			}
			if err := checkCID(c, d, b); err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
		case "env":
			if _, err := parseOwnEnvelope(c, b); err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
		default:
			return fmt.Errorf("stray file %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
