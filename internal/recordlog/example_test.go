package recordlog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/internal/recordlog"
)

// A write-ahead log: replay what an earlier run acknowledged, then append
// durably. A second Open of the file fails while the first holds it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "recordlog-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "wal")
	opts := recordlog.Options{Kind: "example.v1", MaxRecordSize: 4096}

	l, err := recordlog.Open(path, opts)
	if err != nil {
		panic(err)
	}
	if err := l.Append(ctx, []byte("reading 1"), []byte("reading 2")); err != nil {
		panic(err)
	}
	if err := l.Append(ctx, []byte("reading 3")); err != nil {
		panic(err)
	}
	_, err = recordlog.Open(path, opts)
	fmt.Println("second open:", errors.Is(err, recordlog.ErrLocked))
	l.Close()

	// After a restart (or a crash), replay.
	l, err = recordlog.Open(path, opts)
	if err != nil {
		panic(err)
	}
	defer l.Close()
	for rec, err := range l.Records(ctx) {
		if err != nil {
			panic(err)
		}
		fmt.Println(string(rec))
	}
	// Output:
	// second open: true
	// reading 1
	// reading 2
	// reading 3
}
