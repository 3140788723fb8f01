package did

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/recordlog"
)

// lifecycleParties are the identities and keys of lifecycleRegistry.
type lifecycleParties struct {
	org1, org2, dev, other party
	keyB, keyC, orgNext    party
}

// lifecycleRegistry writes a registry at path through OpenRegistry, with
// every operation: an organisation enrolled under itself that rotates its
// own key, a device enrolled under it that is rotated, revoked,
// transferred, rotated again by its new controller and decommissioned, and
// a second device whose key is revoked. It returns the registry, still
// open. All keys are Ed25519 from fixed seeds, so the file's bytes are
// always the same.
func lifecycleRegistry(t testing.TB, path string) (*Registry, lifecycleParties) {
	t.Helper()
	ctx := context.Background()
	p := lifecycleParties{
		org1: newParty(t, Ed25519, 1), org2: newParty(t, Ed25519, 2),
		dev: newParty(t, Ed25519, 3), other: newParty(t, Ed25519, 6),
		keyB: newParty(t, Ed25519, 4), keyC: newParty(t, Ed25519, 5), orgNext: newParty(t, Ed25519, 7),
	}
	r := openTestRegistry(t, path)
	at := func(hours int) time.Time { return t0.Add(time.Duration(hours) * time.Hour) }
	enroll(t, r, p.org1, p.org1, t0)
	enroll(t, r, p.org1, p.dev, t0)
	enroll(t, r, p.org1, p.other, at(1))
	org1, org2 := p.org1.key, p.org2.key
	steps := []func() (Entry, error){
		func() (Entry, error) { return r.Rotate(ctx, org1, p.dev.did, p.keyB.key.Public(), at(10)) },
		func() (Entry, error) { return r.Revoke(ctx, org1, p.dev.did, p.keyB.key.Public(), at(15)) },
		func() (Entry, error) { return r.Revoke(ctx, org1, p.other.did, p.other.key.Public(), at(2)) },
		func() (Entry, error) { return r.Transfer(ctx, org1, p.dev.did, p.org2.did, at(20)) },
		func() (Entry, error) { return r.Rotate(ctx, org2, p.dev.did, p.keyC.key.Public(), at(22)) },
		func() (Entry, error) { return r.Rotate(ctx, org1, p.org1.did, p.orgNext.key.Public(), at(25)) },
		func() (Entry, error) { return r.Decommission(ctx, org2, p.dev.did, at(30)) },
	}
	for i, step := range steps {
		if _, err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return r, p
}

// sameAnswers fails t where got answers a read-only question otherwise
// than want: key resolution (with the window a KeyCache keeps), signature
// checks and status, for each identity, at every half hour of the log's
// span.
func sameAnswers(t *testing.T, got, want *Registry, p lifecycleParties) {
	t.Helper()
	if n, head := got.Head(); n != want.n || head != want.head {
		t.Fatalf("head %d %v, want %d %v", n, head, want.n, want.head)
	}
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	ctx := context.Background()
	signers := []party{p.org1, p.org2, p.dev, p.other, p.keyB, p.keyC, p.orgNext}
	dids := []string{p.org1.did, p.org2.did, p.dev.did, p.other.did, p.dev.did + "#key-1", "did:web:unknown.example"}
	for _, d := range dids {
		for at := t0.Add(-time.Hour); !at.After(t0.Add(40 * time.Hour)); at = at.Add(30 * time.Minute) {
			gk, gw, gerr := got.keyWindow(ctx, d, at)
			wk, ww, werr := want.keyWindow(ctx, d, at)
			if errText(gerr) != errText(werr) || gw != ww || (gk == nil) != (wk == nil) || gk != nil && !gk.Equal(wk) {
				t.Errorf("%.20s… at %v: %v %+v (%v), want %v %+v (%v)", d, at.Sub(t0), gk, gw, gerr, wk, ww, werr)
			}
			for _, s := range signers {
				sig := signMsg(t, s.key, "reading")
				if g, w := got.VerifyAt(d, at, []byte("reading"), sig), want.VerifyAt(d, at, []byte("reading"), sig); errText(g) != errText(w) {
					t.Errorf("signature by %.20s… for %.20s… at %v: %v, want %v", s.did, d, at.Sub(t0), g, w)
				}
			}
		}
		gs, gerr := got.Status(d)
		ws, werr := want.Status(d)
		if errText(gerr) != errText(werr) || gs.Subject != ws.Subject || gs.Controller != ws.Controller ||
			!gs.Registered.Equal(ws.Registered) || gs.Decommissioned != ws.Decommissioned ||
			(gs.Key == nil) != (ws.Key == nil) || gs.Key != nil && !gs.Key.Equal(ws.Key) {
			t.Errorf("status of %.20s…: %+v (%v), want %+v (%v)", d, gs, gerr, ws, werr)
		}
	}
}

// A registry replays read-only — from its file while OpenRegistry holds
// it, from a read-only file, from bytes — to the same head and the same
// answers, through KeyResolvers and a KeyCache too, without changing the
// file.
func TestReadRegistryAnswersAsOpened(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.log")
	w, p := lifecycleRegistry(t, path)
	defer w.Close()
	before := mustRead(t, path)

	held, err := ReadRegistryFile(ctx, path, RegistryOptions{})
	if err != nil {
		t.Fatalf("read while OpenRegistry holds the file: %v", err)
	}
	sameAnswers(t, held, w, p)
	raw, err := ReadRegistry(ctx, bytes.NewReader(before), int64(len(before)), RegistryOptions{})
	if err != nil {
		t.Fatalf("read from bytes: %v", err)
	}
	sameAnswers(t, raw, w, p)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	ro, err := ReadRegistryFile(ctx, path, RegistryOptions{})
	if err != nil {
		t.Fatalf("read-only file: %v", err)
	}
	sameAnswers(t, ro, w, p)
	if !bytes.Equal(mustRead(t, path), before) {
		t.Fatal("reading changed the file")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o400 {
		t.Fatalf("mode after reading: %v, %v", fi.Mode(), err)
	}
	if _, err := OpenRegistry(ctx, path, RegistryOptions{}); !errors.Is(err, ErrRegistryLocked) {
		t.Fatalf("the writer's lock after reading: %v", err)
	}

	// The same resolver chain a gateway builds on an opened registry.
	for name, r := range map[string]*Registry{"opened": w, "read": ro} {
		keys := NewKeyCache(16, KeyResolvers{r, SelfCertifying{}}, time.Minute)
		k, err := keys.KeyAt(ctx, p.dev.did, t0.Add(25*time.Hour))
		if err != nil || !k.Equal(p.keyC.key.Public()) {
			t.Errorf("%s, through a KeyCache: %v, %v", name, k, err)
		}
		if _, err := keys.KeyAt(ctx, p.other.did, t0.Add(3*time.Hour)); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("%s, revoked key through a KeyCache: %v", name, err)
		}
	}
}

// A read-only Registry refuses every entry with ErrReadOnly, before any
// other check, and its Close does nothing.
func TestReadRegistryRefusesEntries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.log")
	w, p := lifecycleRegistry(t, path)
	w.Close()
	r, err := ReadRegistryFile(ctx, path, RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, head := r.Head()
	next := newParty(t, Ed25519, 9)
	e := Entry{Seq: n, Prev: head, Op: OpRotate, Subject: p.other.did, Key: next.did, Time: t0.Add(40 * time.Hour)}
	if err := e.Sign(p.orgNext.key, p.org1.did); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		attempts := map[string]error{"append": r.Append(ctx, e)}
		_, attempts["register"] = r.Register(ctx, next.key, next.did, next.did, next.key.Public(), t0)
		_, attempts["register with a bad key"] = r.Register(ctx, next.key, next.did, next.did, nil, t0)
		_, attempts["rotate"] = r.Rotate(ctx, p.orgNext.key, p.other.did, next.key.Public(), t0.Add(40*time.Hour))
		_, attempts["revoke"] = r.Revoke(ctx, p.orgNext.key, p.org1.did, p.orgNext.key.Public(), t0.Add(40*time.Hour))
		_, attempts["transfer"] = r.Transfer(ctx, p.orgNext.key, p.other.did, p.org2.did, t0.Add(40*time.Hour))
		_, attempts["decommission"] = r.Decommission(ctx, p.orgNext.key, p.other.did, t0.Add(40*time.Hour))
		for op, err := range attempts {
			if !errors.Is(err, ErrReadOnly) {
				t.Errorf("round %d: %s: %v, want ErrReadOnly", round, op, err)
			}
		}
		if n2, head2 := r.Head(); n2 != n || head2 != head {
			t.Fatalf("round %d: refused entries changed the head", round)
		}
		if err := r.Close(); err != nil {
			t.Fatalf("round %d: close: %v", round, err)
		}
	}
	// The entry is a good one: the writer takes it.
	w = openTestRegistry(t, path)
	defer w.Close()
	if err := w.Append(ctx, e); err != nil {
		t.Fatalf("the refused entry, appended by the writer: %v", err)
	}
}

// Read-only replay agrees with OpenRegistry on every file of the recovery
// catalogue, writes none of them, reads up to a torn tail with a notice,
// and reports damage as OpenRegistry does: ErrCorruptLog, with recordlog's
// typed error where there is one.
func TestReadRegistryDamage(t *testing.T) {
	ctx := context.Background()
	_, raw := writeRegistry(t, 4)
	const hdr = recordlog.HeaderSize
	recSize := (len(raw) - hdr) / 4 // about: the first entry has no prev
	// end[n] is where the first n entries end.
	end := []int{hdr}
	for p, err := range recordlog.Read(ctx, bytes.NewReader(raw), int64(len(raw)), "raw", registryLogOptions(nil)) {
		if err != nil {
			t.Fatal(err)
		}
		end = append(end, end[len(end)-1]+recordlog.RecordOverhead+len(p))
	}
	flip := func(i int) []byte { b := bytes.Clone(raw); b[i] ^= 0x20; return b }
	cases := []struct {
		name string
		data []byte
		want int // entries; -1: ErrCorruptLog
	}{
		{"intact", raw, 4},
		{"last record cut short", raw[:len(raw)-5], 3},
		{"last record only its length", raw[:len(raw)-recSize+4], 3},
		{"zeros after the log", append(bytes.Clone(raw), make([]byte, 100)...), 4},
		{"last record zeroed", append(bytes.Clone(raw[:len(raw)-recSize]), make([]byte, recSize)...), 3},
		{"header cut short", raw[:5], 0},
		{"empty file", nil, 0},
		{"flipped byte in a middle record", flip(hdr + recordlog.RecordOverhead + recSize + 20), -1},
		{"flipped length of a middle record", flip(hdr + recSize + 2), -1},
		{"record removed from the middle", append(bytes.Clone(raw[:hdr+recSize]), raw[hdr+2*recSize:]...), -1},
		{"checksum fixed after an edit", forgedRegistry(t, raw), -1},
		{"garbage after the log", append(bytes.Clone(raw), bytes.Repeat([]byte{0xff}, 40)...), -1},
		{"not a registry", []byte("hello, this is not a registry file at all"), -1},
		{"registry file of the format before recordlog", append([]byte("iotrust did registry v1\n"), raw[hdr:]...), -1},
		{"another record log", otherRecordLog(t), -1},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "registry.log")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		var notices bytes.Buffer
		r, err := ReadRegistryFile(ctx, path, RegistryOptions{Logger: slog.New(slog.NewTextHandler(&notices, nil))})
		if !bytes.Equal(mustRead(t, path), c.data) {
			t.Errorf("%s: the file was changed", c.name)
		}
		if c.want < 0 {
			if r != nil || !errors.Is(err, ErrCorruptLog) {
				t.Errorf("%s: %v, want ErrCorruptLog", c.name, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", c.name, err)
		} else if n, _ := r.Head(); n != uint64(c.want) {
			t.Errorf("%s: %d entries, want %d", c.name, n, c.want)
		} else if torn := c.want > 0 && len(c.data) > end[c.want]; torn != strings.Contains(notices.String(), "torn") {
			t.Errorf("%s: notices %q", c.name, notices.String())
		}
		// OpenRegistry, given the same bytes, answers the same.
		w, werr := OpenRegistry(ctx, path, RegistryOptions{})
		switch {
		case (err == nil) != (werr == nil):
			t.Errorf("%s: read %v, open %v", c.name, err, werr)
		case err == nil:
			if n, head := w.Head(); n != r.n || head != r.head {
				t.Errorf("%s: opened to %d entries, read to %d", c.name, n, r.n)
			}
			w.Close()
		}
	}

	middle := flip(end[2] + recordlog.RecordOverhead + 20)
	_, err := ReadRegistry(ctx, bytes.NewReader(middle), int64(len(middle)), RegistryOptions{})
	var ce *recordlog.CorruptError
	if !errors.Is(err, ErrCorruptLog) || !errors.As(err, &ce) || ce.Offset != int64(end[2]) {
		t.Errorf("corrupt middle record: %v, want ErrCorruptLog with a *recordlog.CorruptError at %d", err, end[2])
	}
	other := otherRecordLog(t)
	if _, err := ReadRegistry(ctx, bytes.NewReader(other), int64(len(other)), RegistryOptions{}); !errors.Is(err, ErrCorruptLog) || !errors.Is(err, recordlog.ErrNotLog) {
		t.Errorf("another kind of record log: %v, want ErrCorruptLog and recordlog.ErrNotLog", err)
	}
	forged := forgedRegistry(t, raw)
	if _, err := ReadRegistry(ctx, bytes.NewReader(forged), int64(len(forged)), RegistryOptions{}); !errors.Is(err, ErrCorruptLog) || errors.Is(err, recordlog.ErrCorrupt) {
		t.Errorf("an edited entry with its checksums made right: %v, want ErrCorruptLog from the replay, not the record checks", err)
	}
}

// ReadRegistryFile creates nothing, refuses what is not a file, and
// honours ctx; a cancelled read is not corruption.
func TestReadRegistryFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.log")
	if _, err := ReadRegistryFile(ctx, missing, RegistryOptions{}); !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrCorruptLog) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the missing file was created: %v", err)
	}
	if _, err := ReadRegistryFile(ctx, dir, RegistryOptions{}); !errors.Is(err, ErrCorruptLog) {
		t.Errorf("a directory: %v", err)
	}
	path, _ := writeRegistry(t, 2)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ReadRegistryFile(cancelled, path, RegistryOptions{}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrCorruptLog) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzReadRegistry: registry files of any content replay read-only to a
// Registry or fail with ErrCorruptLog — never a panic or another error. A
// Registry read holds one entry per record recordlog.Read yields, its head
// is the digest of the last, it refuses entries, and the records alone
// (a torn tail cut off, as OpenRegistry would) read to the same head.
// TestReadRegistryDamage compares with OpenRegistry; this target stays in
// memory, since targets that open a record log per input (recordlog's
// FuzzOpenPreallocated) stop reporting progress under go test -fuzz.
func FuzzReadRegistry(f *testing.F) {
	path := filepath.Join(f.TempDir(), "registry.log")
	w, _ := lifecycleRegistry(f, path)
	w.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)-9])
	f.Add(raw[:recordlog.HeaderSize])
	mid := bytes.Clone(raw)
	mid[len(mid)/2] ^= 4
	f.Add(mid)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r, err := ReadRegistry(ctx, bytes.NewReader(data), int64(len(data)), RegistryOptions{})
		if err != nil {
			if !errors.Is(err, ErrCorruptLog) || r != nil {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if aerr := r.Append(ctx, Entry{}); !errors.Is(aerr, ErrReadOnly) {
			t.Fatalf("append: %v", aerr)
		}
		var last []byte
		kept := recordlog.HeaderSize
		n := uint64(0)
		for p, err := range recordlog.Read(ctx, bytes.NewReader(data), int64(len(data)), "f", registryLogOptions(nil)) {
			if err != nil {
				t.Fatalf("replayed, but its records do not read: %v", err)
			}
			last, n, kept = p, n+1, kept+recordlog.RecordOverhead+len(p)
		}
		gn, head := r.Head()
		if gn != n || n > 0 && head != canon.MustTaggedSum(canon.BLAKE3, RegistryEntryTag, last) || n == 0 && !head.IsZero() {
			t.Fatalf("%d records, head %d %v", n, gn, head)
		}
		if n == 0 {
			return
		}
		again, err := ReadRegistry(ctx, bytes.NewReader(data[:kept]), int64(kept), RegistryOptions{})
		if err != nil {
			t.Fatalf("the records without the rest: %v", err)
		}
		if an, ahead := again.Head(); an != gn || ahead != head {
			t.Fatalf("the records without the rest: head %d %v, was %d %v", an, ahead, gn, head)
		}
	})
}
