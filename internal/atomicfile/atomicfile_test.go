package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state")
	if err := WriteBytes(p, 0o600, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(p, 0o640, []byte("new content")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "new content" {
		t.Fatalf("content %q, %v", got, err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640", st.Mode().Perm())
	}
	// A writer that fails half-way leaves the old content and no
	// temporary file.
	boom := errors.New("boom")
	err = Write(p, 0o600, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "new content" {
		t.Fatalf("after a failed write: %q", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("directory holds %d entries, want 1 (no temporary file left)", len(ents))
	}
	// A directory that does not exist is an error, not a panic.
	if err := WriteBytes(filepath.Join(dir, "none", "x"), 0o600, nil); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
}

func TestCreateNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	// A writer that fails half-way leaves nothing at all: no part of the
	// file to block the next attempt, no temporary file.
	boom := errors.New("boom")
	err := Create(p, 0o600, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("after a failed create the directory holds %d entries", len(ents))
	}
	if err := CreateBytes(p, 0o600, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	// An existing file, or a link of any kind, stays as it is.
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, link} {
		if err := CreateBytes(path, 0o644, []byte("other")); !errors.Is(err, os.ErrExist) {
			t.Fatalf("create over %s: %v, want os.ErrExist", filepath.Base(path), err)
		}
	}
	if got, _ := os.ReadFile(p); string(got) != "secret" {
		t.Fatalf("existing file now holds %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("create through a dangling link made its target: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("directory holds %d entries, want the file and the link", len(ents))
	}
}
