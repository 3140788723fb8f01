package payment

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/internal/crashtest"
	"github.com/iotrust/iotrust/internal/recordlog"
)

func TestStoreCutsTornTail(t *testing.T) {
	ctx := context.Background()
	p, s, c, clk, dir := newPayeeFixture(t, 100)
	for n := uint64(1); n <= 3; n++ {
		if _, err := p.Accept(ctx, signed(t, s, c, 0, n, int64(n)), nil); err != nil {
			t.Fatal(err)
		}
	}
	p.Store().Close()
	path := filepath.Join(dir, "payee.log")
	full, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	// The fourth record, cut anywhere, and a tail of zeros are torn writes.
	rec4 := func() []byte {
		d := t.TempDir()
		q := newTestPayee(t, openStore(t, d, "y"), clk)
		q.Open(ctx, c)
		before, _ := os.ReadFile(filepath.Join(d, "y"))
		q.Store().putVoucher(signed(t, s, c, 0, 4, 4), clk.Now())
		after, _ := os.ReadFile(filepath.Join(d, "y"))
		return after[len(before):]
	}()
	tails := [][]byte{rec4[:1], rec4[:9], rec4[:len(rec4)-1], make([]byte, 4096),
		append(append([]byte(nil), rec4[:len(rec4)-1]...), rec4[len(rec4)-1]^1)}
	for i, tail := range tails {
		if err := os.WriteFile(path, append(append([]byte(nil), full...), tail...), 0o600); err != nil {
			t.Fatal(err)
		}
		st2, err := OpenStore(path, nil)
		if err != nil {
			t.Fatalf("tail %d: %v", i, err)
		}
		if b, _ := st2.Best(c.ID, 0); b == nil || b.Nonce != 3 {
			t.Fatalf("tail %d: best %+v", i, b)
		}
		st2.Close()
		if fi, _ := os.Stat(path); fi.Size() != st.Size() {
			t.Fatalf("tail %d: size %d after repair, want %d", i, fi.Size(), st.Size())
		}
	}
}

func TestStoreDetectsDamage(t *testing.T) {
	ctx := context.Background()
	p, s, c, _, dir := newPayeeFixture(t, 100)
	for n := uint64(1); n <= 3; n++ {
		if _, err := p.Accept(ctx, signed(t, s, c, 0, n, int64(n)), nil); err != nil {
			t.Fatal(err)
		}
	}
	p.Store().Close()
	path := filepath.Join(dir, "payee.log")
	b, _ := os.ReadFile(path)
	// the header's magic and kind, the first record's length and payload,
	// the middle of the file
	hdr := recordlog.HeaderSize
	for _, off := range []int{0, 4, 20, hdr + 2, hdr + 20, len(b) / 2} {
		d := append([]byte(nil), b...)
		d[off] ^= 0x40
		os.WriteFile(path, d, 0o600)
		if _, err := OpenStore(path, nil); !errors.Is(err, ErrCorruptStore) {
			t.Errorf("flip at %d: got %v, want ErrCorruptStore", off, err)
		}
	}
}

// The crash test: a child process (this test binary, re-executed) accepts
// vouchers in a loop and prints "ack N" after each Accept returns; the
// parent SIGKILLs it at a random moment, reopens the store and checks that
// every acknowledged voucher is there. Several rounds run on the same file,
// each continuing where the last left off.
const crashEnv = "IOTRUST_PAYMENT_CRASH_DIR"

func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestSIGKILLLosesNothingAcknowledged")
	}
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1<<40)
	st, err := OpenStore(filepath.Join(dir, "payee.log"), nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	p := newTestPayee(t, st, clk)
	if err := p.Open(ctx, c); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	next := uint64(1)
	if b, ok := st.Best(c.ID, 0); ok {
		next = b.Nonce + 1
	}
	for n := next; ; n++ {
		if _, err := p.Accept(ctx, signed(t, s, c, 0, n, int64(n)), nil); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("ack %d\n", n)
	}
}

func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("child")
	}
	dir := t.TempDir()
	rounds := crashtest.Kills(t, "", 6, 3)
	var lastAck uint64
	for round := 0; round < rounds; round++ {
		// Kill after a varying number of acknowledgements, or after ten
		// seconds if the child is that slow (a failure below).
		killAfter := 5 + (round*37)%60
		acks := 0
		crashtest.Run(t, crashtest.Round{
			Test:       "TestCrashChild",
			Env:        []string{crashEnv + "=" + dir},
			Delay:      10 * time.Second,
			FromStart:  true,
			AfterLines: killAfter,
			Line: func(line string) {
				n, ok := strings.CutPrefix(line, "ack ")
				if !ok {
					t.Fatalf("child: %s", line)
				}
				v, _ := strconv.ParseUint(n, 10, 64)
				if v != lastAck+1 {
					t.Fatalf("round %d: ack %d after %d", round, v, lastAck)
				}
				lastAck = v
				acks++
			},
		})
		if acks < killAfter {
			t.Fatalf("round %d: child stopped after %d acks", round, acks)
		}
		st, err := OpenStore(filepath.Join(dir, "payee.log"), nil)
		if err != nil {
			t.Fatalf("round %d: reopening: %v", round, err)
		}
		var id ChannelID
		copy(id[:], "channel-0000000000000000000000001")
		b, ok := st.Best(id, 0)
		st.Close()
		if !ok || b.Nonce < lastAck {
			t.Fatalf("round %d: acknowledged nonce %d, store has %+v", round, lastAck, b)
		}
		// The child may have stored one more than it acknowledged.
		lastAck = b.Nonce
	}
}

func TestStoreCompact(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	c := testChannel(s, clk, 1_000_000)
	dir := t.TempDir()
	path := filepath.Join(dir, "payer")
	caps := []Cap{{Payee: c.Payee, Window: time.Hour, Limit: big.NewInt(1000)}}
	st := openStore(t, dir, "payer")
	payer := newTestPayer(t, st, s, caps, clk)
	payer.Open(ctx, c)
	for i := 0; i < 200; i++ { // one voucher a minute, on 4 lanes
		if _, err := payer.Pay(ctx, c.ID, uint64(i%4), big.NewInt(5)); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
	}
	st.putEvidence(Evidence{First: signed(t, s, c, 7, 1, 1), Second: signed(t, s, c, 7, 1, 2)})
	before, _ := os.Stat(path)
	best := st.BestVouchers(c.ID)
	spent := payer.Spent(c.Payee, time.Hour)
	if err := st.Compact(clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size()/2 {
		t.Fatalf("compacted %d bytes to %d", before.Size(), after.Size())
	}
	// Still appendable, and a reopen sees the same state.
	if _, err := payer.Pay(ctx, c.ID, 0, big.NewInt(5)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st2 := openStore(t, dir, "payer")
	payer2 := newTestPayer(t, st2, s, caps, clk)
	got := st2.BestVouchers(c.ID)
	if len(got) != len(best) || got[0].Nonce != best[0].Nonce+1 || got[1].Amount.Cmp(best[1].Amount) != 0 {
		t.Fatalf("best after compaction: %+v", got)
	}
	if len(st2.Evidence()) != 1 || len(st2.Channels()) != 1 {
		t.Fatalf("evidence %d channels %d", len(st2.Evidence()), len(st2.Channels()))
	}
	if w := payer2.Spent(c.Payee, time.Hour); w.Cmp(new(big.Int).Add(spent, big.NewInt(5))) != 0 {
		t.Fatalf("hourly spend after compaction %v, want %v", w, new(big.Int).Add(spent, big.NewInt(5)))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("files left beside the store: %v", entries)
	}
}

// TestStoreLocked: one Store per file, so two payers never share nonces.
func TestStoreLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "payer")
	st, err := OpenStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(path, nil); !errors.Is(err, ErrStoreLocked) {
		t.Fatalf("second OpenStore: %v, want ErrStoreLocked", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = OpenStore(path, nil)
	if err != nil {
		t.Fatalf("OpenStore after Close: %v", err)
	}
	st.Close()
}

// TestStoreRefusesOtherFiles: a store file of the format before the
// record log, or any other file, is refused, not taken for an empty store.
func TestStoreRefusesOtherFiles(t *testing.T) {
	// The old layout: length, CRC-32C of type and payload, type, payload.
	body := append([]byte{recChannel}, `{"id":"x"}`...)
	old := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	old = binary.BigEndian.AppendUint32(old, crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
	old = append(old, body...)
	for name, data := range map[string][]byte{
		"store of the old format": old,
		"text":                    []byte("not a store\n"),
	} {
		path := filepath.Join(t.TempDir(), "store")
		os.WriteFile(path, data, 0o600)
		if _, err := OpenStore(path, nil); !errors.Is(err, ErrCorruptStore) {
			t.Errorf("%s: %v, want ErrCorruptStore", name, err)
		}
		if got, _ := os.ReadFile(path); string(got) != string(data) {
			t.Errorf("%s: a refused file was changed", name)
		}
	}
}

// TestStoreExpiryCheckedInUTC: an expiry is checked in UTC, the zone every
// encoding writes, so one that is year 10000 in UTC is refused in any zone,
// and everything accepted reads back after a restart.
func TestStoreExpiryCheckedInUTC(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	s := ed25519Signer(t, 1)
	dir := t.TempDir()
	p := newTestPayer(t, openStore(t, dir, "payer.log"), s, nil, clk)

	late := testChannel(s, clk, 1000)
	late.Expiry = time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 10000-01-01T04:00Z
	if err := late.Validate(); !errors.Is(err, ErrBadChannel) {
		t.Fatalf("Validate of an expiry in year 10000 UTC: %v, want ErrBadChannel", err)
	}
	if err := p.Open(ctx, late); !errors.Is(err, ErrBadChannel) {
		t.Fatalf("Open of an expiry in year 10000 UTC: %v, want ErrBadChannel", err)
	}

	ok := testChannel(s, clk, 1000)
	ok.Expiry = time.Date(10000, 1, 1, 4, 0, 0, 0, time.FixedZone("UTC+5", 5*3600)) // 9999-12-31T23:00Z
	if err := p.Open(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Pay(ctx, ok.ID, 0, big.NewInt(5)); err != nil {
		t.Fatal(err)
	}
	p.Store().Close()
	st := openStore(t, dir, "payer.log")
	got, _ := st.Channel(ok.ID)
	if !got.Expiry.Equal(ok.Expiry) || got.Expiry.Location() != time.UTC {
		t.Fatalf("expiry after reopen %v, want %v in UTC", got.Expiry, ok.Expiry)
	}
}

// TestStoreWritesOnlyWhatReadsBack: a record that OpenStore would refuse
// is never written (readBack), and a stored time outside UnixNano's range
// saturates instead of wrapping.
func TestStoreWritesOnlyWhatReadsBack(t *testing.T) {
	if _, err := readBack(storeRecord(recChannel, []byte(`{"expiry":"10000-01-01T00:00:00Z"}`))); !errors.Is(err, ErrMalformed) {
		t.Fatalf("readBack of an unreadable channel record: %v, want ErrMalformed", err)
	}
	if _, err := readBack(storeRecord(recVoucher, []byte{1, 2, 3})); !errors.Is(err, ErrMalformed) {
		t.Fatalf("readBack of a short voucher record: %v, want ErrMalformed", err)
	}
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	if n := unixNano(far); n != math.MaxInt64 {
		t.Fatalf("unixNano(%v) = %d, want saturation at MaxInt64", far, n)
	}
}

// TestEvidenceReplayBounded: replaying a double-signed voucher, singly or
// in batches, keeps one evidence pair per lane and nonce, in memory and in
// the file; duplicates an older version wrote are dropped on open and by
// Compact.
func TestEvidenceReplayBounded(t *testing.T) {
	ctx := context.Background()
	p, s, c, clk, dir := newPayeeFixture(t, 100)
	if _, err := p.Accept(ctx, signed(t, s, c, 0, 1, 10), nil); err != nil {
		t.Fatal(err)
	}
	twin := signed(t, s, c, 0, 1, 20)
	path := filepath.Join(dir, "payee.log")
	var size int64
	for i := range 5 {
		if _, err := p.Accept(ctx, twin, nil); !errors.Is(err, ErrDoubleSigned) {
			t.Fatalf("replay %d: %v, want ErrDoubleSigned", i, err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && fi.Size() != size {
			t.Fatalf("replay %d grew the store from %d to %d bytes", i, size, fi.Size())
		}
		size = fi.Size()
	}
	for _, err := range p.AcceptBatch(ctx, []*Voucher{twin, twin}) {
		if !errors.Is(err, ErrDoubleSigned) {
			t.Fatalf("batch replay: %v, want ErrDoubleSigned", err)
		}
	}
	if n := len(p.Store().Evidence()); n != 1 {
		t.Fatalf("%d evidence pairs after replays, want 1", n)
	}
	// A file with duplicates, as older versions wrote it.
	e := p.Store().Evidence()[0]
	pl, err := evidencePayload(e)
	if err != nil {
		t.Fatal(err)
	}
	st := p.Store()
	st.mu.Lock()
	err = st.append(storeRecord(recEvidence, pl), storeRecord(recEvidence, pl))
	st.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = openStore(t, dir, "payee.log")
	if n := len(st.Evidence()); n != 1 {
		t.Fatalf("%d evidence pairs read from a file with duplicates, want 1", n)
	}
	if err := st.Compact(clk.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	n := 0
	f, err := recordlog.Open(path, recordlog.Options{Kind: storeKind, MaxRecordSize: maxRecord})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for rec, err := range f.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if rec[0] == recEvidence {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d evidence records after Compact, want 1", n)
	}
}

// TestStoreKeepsUnconditional: a later time-locked or conditional voucher
// becomes the lane's Best but not its Unconditional one, which survives a
// restart and Compact.
func TestStoreKeepsUnconditional(t *testing.T) {
	ctx := context.Background()
	p, s, c, clk, dir := newPayeeFixture(t, 100)
	if _, err := p.Accept(ctx, signed(t, s, c, 0, 1, 10), nil); err != nil {
		t.Fatal(err)
	}
	locked := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 0, Nonce: 2, Amount: big.NewInt(20), NotAfter: uint64(clk.Now().Add(time.Minute).Unix())}
	cond := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: 0, Nonce: 3, Amount: big.NewInt(30), Condition: canon.Digest{Func: canon.SHA256, Sum: [32]byte{1}}}
	for _, v := range []*Voucher{locked, cond} {
		if err := Sign(s, v); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Accept(ctx, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	check := func(st *Store, when string) {
		t.Helper()
		if b, _ := st.Best(c.ID, 0); b.Nonce != 3 {
			t.Errorf("%s: best nonce %d, want 3", when, b.Nonce)
		}
		if u, ok := st.Unconditional(c.ID, 0); !ok || u.Nonce != 1 || u.Amount.Int64() != 10 {
			t.Errorf("%s: unconditional %v, want nonce 1 amount 10", when, u)
		}
	}
	check(p.Store(), "accepted")
	p.Store().Close()
	st := openStore(t, dir, "payee.log")
	check(st, "reopened")
	clk.Advance(time.Hour)
	if err := st.Compact(clk.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	check(openStore(t, dir, "payee.log"), "compacted")
}
