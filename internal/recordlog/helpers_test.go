package recordlog

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

const testKind = "test-log.v1"

func testOptions() Options { return Options{Kind: testKind, MaxRecordSize: 64 << 10} }

// encodeFile returns a log file of testKind holding payloads.
func encodeFile(payloads ...[]byte) []byte {
	b := encodeHeader(testKind)
	for _, p := range payloads {
		b = appendRecord(b, p)
	}
	return b
}

// payload returns a deterministic payload of n bytes for record i.
func payload(i, n int) []byte {
	p := make([]byte, n)
	for j := range p {
		p[j] = byte(i*31 + j*7 + 1)
	}
	return p
}

func openT(t testing.TB, path string) *Log {
	t.Helper()
	l, err := Open(path, testOptions())
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return l
}

// readAll returns the records of l, failing t on an error.
func readAll(t testing.TB, l *Log) [][]byte {
	t.Helper()
	var out [][]byte
	for p, err := range l.Records(context.Background()) {
		if err != nil {
			t.Fatalf("records: %v", err)
		}
		out = append(out, p)
	}
	return out
}

func sameRecords(got, want [][]byte) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d records, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			return fmt.Errorf("record %d differs", i)
		}
	}
	return nil
}

func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.log")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
