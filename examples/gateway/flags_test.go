package main

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A bad flag value is refused with errFlags before the gateway creates its
// data directory, opens its log or store, or starts its broker: the data
// directory does not exist afterwards, nothing was printed, and the broker's
// and the HTTP server's addresses are still free.
func TestBadFlagsStartNothing(t *testing.T) {
	t.Setenv("IOTRUST_EVM_KEY", "")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"band", []string{"-band", "temperature:Cel:8:2"}, "-band"},
		{"band fields", []string{"-band", "temperature"}, "-band"},
		{"demo on external broker", []string{"-demo", "-broker", "mqtt://127.0.0.1:1"}, "-demo"},
		{"unknown ledger", []string{"-ledgers", "tlog,ipfs"}, "ipfs"},
		{"ledger twice", []string{"-ledgers", "tlog,tlog"}, "twice"},
		{"rpc without evm", []string{"-rpc", "http://127.0.0.1:1"}, "-rpc"},
		{"evm without key", []string{"-ledgers", "evm", "-rpc", "http://127.0.0.1:1", "-contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3"}, "IOTRUST_EVM_KEY"},
		{"evm contract", []string{"-ledgers", "tlog,evm", "-rpc", "http://127.0.0.1:1", "-contract", "nope"}, "-contract"},
		{"log level", []string{"-log-level", "loud"}, "-log-level"},
		{"log format", []string{"-log", "xml"}, "-log"},
		{"max batch", []string{"-max-batch", "-1"}, "-max-batch"},
		{"max devices", []string{"-max-devices", "0"}, "-max-devices"},
		{"window", []string{"-window", "-1s"}, "-window"},
		{"demo every", []string{"-demo", "-demo-every", "0s"}, "-demo-every"},
		{"http address", []string{"-http", "127.0.0.1:99999"}, "-http"},
		{"issuer", []string{"-issuers", "manufacturer"}, "-issuers"},
		{"issuer DID URL", []string{"-issuers", "did:key:z6Mk#key-1"}, "-issuers"},
		{"issuer DID syntax", []string{"-issuers", "did:"}, "-issuers"},
		{"broker url", []string{"-broker", "127.0.0.1:1883"}, "-broker"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			mqttAddr, httpAddr := freeAddr(t), freeAddr(t)
			o, err := parseFlags(append([]string{"-dir", dir, "-mqtt", mqttAddr, "-http", httpAddr}, c.args...))
			if err != nil {
				t.Fatal(err)
			}
			pr, pw := io.Pipe()
			printed := make(chan []byte, 1)
			go func() { b, _ := io.ReadAll(pr); printed <- b }()
			err = run(context.Background(), o, pw)
			pw.Close()
			if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
				t.Fatalf("data directory made before the flags were checked (%v); run: %v", serr, err)
			}
			if !errors.Is(err, errFlags) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("run: %v, want errFlags naming %s", err, c.want)
			}
			if out := <-printed; len(out) != 0 {
				t.Fatalf("printed %q", out)
			}
			for _, addr := range []string{mqttAddr, httpAddr} {
				l, err := net.Listen("tcp", addr)
				if err != nil {
					t.Fatalf("%s not free: %v", addr, err)
				}
				l.Close()
			}
		})
	}
}

// An HTTP address in use is found before the gateway opens anything else:
// no data directory, and the broker's address stays free.
func TestHTTPAddressInUseStartsNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir, mqttAddr := filepath.Join(t.TempDir(), "data"), freeAddr(t)
	o, err := parseFlags([]string{"-dir", dir, "-mqtt", mqttAddr, "-http", busy.Addr().String(), "-log-level", "error"})
	if err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), o, io.Discard)
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		t.Fatalf("data directory made before the HTTP address was taken (%v); run: %v", serr, err)
	}
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("run: %v, want address already in use", err)
	}
	l, err := net.Listen("tcp", mqttAddr)
	if err != nil {
		t.Fatalf("broker address not free: %v", err)
	}
	l.Close()
}
