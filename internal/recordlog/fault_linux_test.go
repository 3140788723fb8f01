package recordlog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

const fullDiskEnv = "IOTRUST_RECORDLOG_FULL_DISK_CHILD"

// fullDiskChild runs in a child process whose file size limit
// (RLIMIT_FSIZE) plays a full disk: writes past it fail with EFBIG after
// writing what fits, as a full file system fails with ENOSPC.
func fullDiskChild(path string) error {
	ctx := context.Background()
	l, err := Open(path, testOptions())
	if err != nil {
		return err
	}
	var want [][]byte
	for i := range 3 {
		want = append(want, payload(i, 4096))
		if err := l.Append(ctx, want[i]); err != nil {
			return err
		}
	}
	end := l.Size()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	full := lim
	full.Cur = uint64(end + 2048)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &full); err != nil {
		return err
	}
	err = l.Append(ctx, payload(9, 4096))
	if !errors.Is(err, syscall.EFBIG) || errors.Is(err, ErrFailed) {
		return fmt.Errorf("append to a full disk: %v", err)
	}
	if fi, _ := os.Stat(path); l.Size() != end || fi.Size() != end {
		return fmt.Errorf("after the failed write: Size %d, file %d bytes, want %d", l.Size(), fi.Size(), end)
	}
	// A group of appends that does not fit fails together.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- l.Append(ctx, payload(10+i, 1024)) }()
	}
	wg.Wait()
	close(errs)
	written := 0
	for err := range errs {
		if err == nil {
			written++
		} else if !errors.Is(err, syscall.EFBIG) || errors.Is(err, ErrFailed) {
			return fmt.Errorf("grouped append to a full disk: %v", err)
		}
	}
	if written > 1 { // one of 1036 bytes fits in 2048
		return fmt.Errorf("%d appends of 1 KiB written into 2 KiB", written)
	}
	for range written {
		want = append(want, nil) // placeholder, checked below by count
	}
	// The log stays usable: what fits is written.
	small := []byte("fits in what is left")
	if err := l.Append(ctx, small); err != nil {
		return fmt.Errorf("append that fits: %v", err)
	}
	want = append(want, small)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	if err := l.Append(ctx, payload(20, 4096)); err != nil {
		return fmt.Errorf("append after space came back: %v", err)
	}
	want = append(want, payload(20, 4096))
	l.Close()
	l, err = Open(path, testOptions())
	if err != nil {
		return fmt.Errorf("reopen: %v", err)
	}
	defer l.Close()
	var got [][]byte
	for p, err := range l.Records(ctx) {
		if err != nil {
			return err
		}
		got = append(got, p)
	}
	if len(got) != len(want) {
		return fmt.Errorf("%d records after reopen, want %d", len(got), len(want))
	}
	for i := range want {
		if want[i] != nil && string(got[i]) != string(want[i]) {
			return fmt.Errorf("record %d differs after reopen", i)
		}
	}
	return nil
}

// TestFullDisk: a write that fails part way (a full disk) is cut off again
// and reported; the log stays usable and consistent.
func TestFullDisk(t *testing.T) {
	if path := os.Getenv(fullDiskEnv); path != "" {
		if err := fullDiskChild(path); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		fmt.Println("PASS-CHILD")
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFullDisk$", "-test.count=1")
	cmd.Env = append(os.Environ(), fullDiskEnv+"="+filepath.Join(t.TempDir(), "full.log"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS-CHILD") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
