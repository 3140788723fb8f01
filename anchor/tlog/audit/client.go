package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/fsck"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// Key is a trusted log key, given as a golang.org/x/mod/sumdb/note verifier
// key "<origin>+<key hash>+<base64 key>".
type Key struct {
	// Text is the verifier key as given.
	Text string
	// Verifier checks the log's checkpoints and receipts.
	Verifier *tlog.Verifier
	note     note.Verifier
}

// ParseKey parses a note verifier key of an Ed25519 log key. The key is
// checked as did checks device keys: a small-order or non-canonical
// Ed25519 key, under which signatures can be forged, is refused. Errors
// match tlog.ErrBadKey.
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	nv, err := note.NewVerifier(s)
	if err != nil {
		return Key{}, fmt.Errorf("%w: %q is not a note verifier key (origin+hash+base64): %w", tlog.ErrBadKey, s, err)
	}
	v, err := tlog.NewVerifierFromKey(s) // refuses weak keys (internal/edkey)
	if err != nil {
		return Key{}, err
	}
	return Key{Text: s, Verifier: v, note: nv}, nil
}

// Origin returns the origin of the log the key is for.
func (k Key) Origin() string { return k.Verifier.Origin() }

// Keys is a set of trusted log keys.
type Keys []Key

// For returns the key of the log named origin.
func (ks Keys) For(origin string) (Key, bool) {
	for _, k := range ks {
		if k.Origin() == origin {
			return k, true
		}
	}
	return Key{}, false
}

// CheckpointOrigin returns the origin line of a checkpoint, unverified,
// to pick the key it must be verified with.
func CheckpointOrigin(raw []byte) string {
	origin, _, _ := bytes.Cut(raw, []byte("\n"))
	return string(origin)
}

// Errors of the checks.
var (
	// ErrNoKey is returned for a log whose origin no trusted key names.
	ErrNoKey = errors.New("audit: no trusted key for the log")
	// ErrTilesCorrupt is returned when the log's tiles do not agree with
	// its signed checkpoint.
	ErrTilesCorrupt = errors.New("audit: log files do not match the signed checkpoint")
)

// Checkpoint reads the log's latest checkpoint and verifies it with the key
// of its origin from keys. Errors match ErrNoKey, tlog.ErrBadCheckpoint or
// the Source's errors.
func Checkpoint(ctx context.Context, src *Source, keys Keys) (tlog.Checkpoint, Key, error) {
	raw, err := src.ReadCheckpoint(ctx)
	if err != nil {
		return tlog.Checkpoint{}, Key{}, err
	}
	origin := CheckpointOrigin(raw)
	k, ok := keys.For(origin)
	if !ok {
		return tlog.Checkpoint{}, Key{}, fmt.Errorf("%w: %s serves the log %q", ErrNoKey, src, origin)
	}
	cp, err := k.Verifier.ParseCheckpoint(raw)
	if err != nil {
		return tlog.Checkpoint{}, Key{}, err
	}
	return cp, k, nil
}

// Consistency checks that the tree of newer extends the tree of older,
// with a consistency proof built from the log's tiles. Both checkpoints
// must be verified (tlog.Verifier.ParseCheckpoint). It returns an error
// matching tlog.ErrInconsistent when the log rewrote its history after
// older was signed (or forked: two roots for one size), and
// tlog.ErrStale when newer has fewer entries than older.
func Consistency(ctx context.Context, src *Source, older, newer tlog.Checkpoint) error {
	var hashes [][]byte
	if older.Size > 0 && older.Size < newer.Size {
		pb, err := client.NewProofBuilder(ctx, newer.Size, src.ReadTile)
		if err != nil {
			return fmt.Errorf("%w: tiles of the tree of size %d: %w", ErrTilesCorrupt, newer.Size, err)
		}
		if hashes, err = pb.ConsistencyProof(ctx, older.Size, newer.Size); err != nil {
			return fmt.Errorf("%w: consistency proof from size %d to %d: %w", ErrTilesCorrupt, older.Size, newer.Size, err)
		}
	}
	err := tlog.VerifyConsistency(older, newer, hashes)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, tlog.ErrInconsistent) && !errors.Is(err, tlog.ErrStale):
		return err
	case errors.Is(err, tlog.ErrStale):
		return fmt.Errorf("%w: it has %d entries, %d were seen before (a cache or mirror behind the log, or a log that lost entries: check again later)", tlog.ErrStale, newer.Size, older.Size)
	case newer.Size == older.Size:
		return fmt.Errorf("%w: two different trees of %d entries (a fork)", tlog.ErrInconsistent, newer.Size)
	}
	// The proof's own message dumps hashes; say what it means instead.
	return fmt.Errorf("%w: the tree of %d entries signed before is not a prefix of the tree of %d entries", tlog.ErrInconsistent, older.Size, newer.Size)
}

// Upgrader brings tlog receipts to Final from a log's public files alone:
// the signed checkpoint and the tiles. It implements evidence.Upgrader
// (and anchor.Upgrader): the receipt's commitment must be the entry at the
// receipt's position in the tree of the log's current checkpoint, which
// the answer proves with an inclusion proof that the log's key verifies.
// It is safe for concurrent use.
type Upgrader struct {
	src  *Source
	keys Keys

	mu  sync.Mutex
	cp  *tlog.Checkpoint
	key Key
	pb  *client.ProofBuilder
}

// NewUpgrader returns an Upgrader reading the log at src, whose checkpoint
// must verify with one of keys.
func NewUpgrader(src *Source, keys Keys) *Upgrader { return &Upgrader{src: src, keys: keys} }

// Checkpoint returns the verified checkpoint the Upgrader proves against,
// reading it on first use.
func (u *Upgrader) Checkpoint(ctx context.Context) (tlog.Checkpoint, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(ctx); err != nil {
		return tlog.Checkpoint{}, err
	}
	return *u.cp, nil
}

// CheckRemembered checks the Upgrader's checkpoint against the one st
// remembers for its log: the tree must extend the remembered tree (see
// Consistency; errors matching tlog.ErrInconsistent say the log rewrote
// or forked its history, tlog.ErrStale that it served an older
// checkpoint). It returns the checkpoint and the key that
// verified it, and whether st remembered a checkpoint of the log.
func (u *Upgrader) CheckRemembered(ctx context.Context, st *State) (cp tlog.Checkpoint, k Key, seen bool, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(ctx); err != nil {
		return tlog.Checkpoint{}, Key{}, false, err
	}
	old, seen, err := st.Remembered(u.key)
	if err != nil || !seen {
		return *u.cp, u.key, seen, err
	}
	return *u.cp, u.key, true, Consistency(ctx, u.src, old, *u.cp)
}

func (u *Upgrader) load(ctx context.Context) error {
	if u.cp != nil {
		return nil
	}
	cp, k, err := Checkpoint(ctx, u.src, u.keys)
	if err != nil {
		return err
	}
	u.cp, u.key = &cp, k
	return nil
}

// Upgrade returns r as the log holds it now: Final with an inclusion proof
// in the log's current checkpoint when the checkpoint covers r's position,
// r itself (Included) when it does not yet. It fails with an error
// matching anchor.ErrBadReceipt when r is not a receipt of this log or its
// position holds another entry, and with ErrTilesCorrupt when the log's
// tiles do not prove what its checkpoint signs.
//
// Receipts of anchor/aggregate whose aggregate is anchored on this log
// are upgraded too: the member's path into the aggregate never changes,
// so their inner receipt is upgraded and the path kept.
func (u *Upgrader) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(ctx); err != nil {
		return anchor.Receipt{}, err
	}
	if r.Ledger != aggregate.LedgerName {
		return u.upgrade(ctx, r)
	}
	out, err := aggregate.UpgradeThrough(ctx, upgradeFunc(u.upgrade), r)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if out.State == anchor.Final {
		v, err := aggregate.NewVerifier(u.key.Verifier)
		if err == nil {
			err = v.VerifyReceipt(ctx, out)
		}
		if err != nil {
			return anchor.Receipt{}, err
		}
	} else if _, err := aggregate.OpenReceipt(out); err != nil {
		return anchor.Receipt{}, err
	}
	return out, nil
}

// upgradeFunc is an anchor.Upgrader from a function.
type upgradeFunc func(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error)

func (f upgradeFunc) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	return f(ctx, r)
}

// upgrade is Upgrade of a tlog receipt, with u.mu held and u loaded.
func (u *Upgrader) upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	cp := *u.cp
	if r.Ledger != tlog.LedgerName || r.Chain != cp.Origin {
		return anchor.Receipt{}, fmt.Errorf("%w: receipt of %s %q, %s is %s %q", anchor.ErrBadReceipt, r.Ledger, r.Chain, u.src, tlog.LedgerName, cp.Origin)
	}
	entry, err := r.Commitment.MarshalBinary()
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: %w", anchor.ErrBadReceipt, err)
	}
	leaf := rfc6962.DefaultHasher.HashLeaf(entry)
	out := r
	out.TxID = hex.EncodeToString(leaf)
	if r.Position >= cp.Size {
		// Not yet covered: what the log holds now is an Included anchor.
		out.State, out.Proof = anchor.Included, nil
		return out, nil
	}
	if u.pb == nil {
		if u.pb, err = client.NewProofBuilder(ctx, cp.Size, u.src.ReadTile); err != nil {
			return anchor.Receipt{}, fmt.Errorf("%w: tiles of the tree of size %d: %w", ErrTilesCorrupt, cp.Size, err)
		}
	}
	hashes, err := u.pb.InclusionProof(ctx, r.Position)
	if err != nil {
		return anchor.Receipt{}, fmt.Errorf("%w: inclusion proof of %d in %d: %w", ErrTilesCorrupt, r.Position, cp.Size, err)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, r.Position, cp.Size, leaf, hashes, cp.Root[:]); err != nil {
		// Either the position holds another entry, or the tiles lie.
		lh, ferr := client.FetchLeafHashes(ctx, u.src.ReadTile, r.Position, 1, cp.Size)
		if ferr == nil && len(lh) == 1 && !bytes.Equal(lh[0], leaf) {
			if rerr := proof.VerifyInclusion(rfc6962.DefaultHasher, r.Position, cp.Size, lh[0], hashes, cp.Root[:]); rerr == nil {
				return anchor.Receipt{}, fmt.Errorf("%w: entry %d of %s is another commitment (leaf %x)", anchor.ErrBadReceipt, r.Position, cp.Origin, lh[0])
			}
		}
		return anchor.Receipt{}, fmt.Errorf("%w: the inclusion proof of entry %d built from the tiles does not lead to the root of the checkpoint of size %d", ErrTilesCorrupt, r.Position, cp.Size)
	}
	p := tlog.InclusionProof{Index: r.Position, TreeSize: cp.Size, Checkpoint: cp.Raw, Hashes: make([][32]byte, len(hashes))}
	for i, h := range hashes {
		copy(p.Hashes[i][:], h)
	}
	if out.Proof, err = p.MarshalBinary(); err != nil {
		return anchor.Receipt{}, err
	}
	out.State = anchor.Final
	// What is handed back is what any verifier with the key will accept.
	if err := u.key.Verifier.VerifyReceipt(ctx, out); err != nil {
		return anchor.Receipt{}, err
	}
	return out, nil
}

// Progress is told how many of the log's entry bundles fsck has checked.
type Progress func(done, total uint64)

// Fsck checks the log's files against the verified checkpoint cp, as
// Tessera's fsck does: every entry bundle is read, every entry must be an
// iotrust commitment (anchor.DecodeCommitment), every tile is rebuilt from
// the leaf hashes and compared with the log's, and the root with cp's.
// workers bounds concurrent reads; progress, if set, is called from
// another goroutine while the check runs. Errors match ErrTilesCorrupt
// (or the Source's errors, for a log that cannot be read).
func Fsck(ctx context.Context, src *Source, k Key, cp tlog.Checkpoint, workers uint, progress Progress) error {
	pinned := &pinnedSource{Source: src, cp: cp.Raw}
	f := fsck.New(cp.Origin, k.note, pinned, commitmentLeafHashes, fsck.Opts{N: max(workers, 1)})
	done := make(chan struct{})
	var wg sync.WaitGroup
	if progress != nil {
		total := (cp.Size + layout.EntryBundleWidth - 1) / layout.EntryBundleWidth
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					progress(total, total)
					return
				case <-t.C:
					progress(bundlesOK(f.Status()), total)
				}
			}
		}()
	}
	err := f.Check(ctx)
	close(done)
	wg.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if ioErr := pinned.ioErr(); ioErr != nil {
			return ioErr // the log could not be read: no finding about it
		}
		// fsck's messages span lines (hashes on their own); keep one.
		return fmt.Errorf("%w: %s", ErrTilesCorrupt, strings.Join(strings.Fields(err.Error()), " "))
	}
	return nil
}

func bundlesOK(s fsck.Status) uint64 {
	var n uint64
	for _, r := range s.EntryRanges {
		if r.State == fsck.OK {
			n += r.N
		}
	}
	return n
}

// pinnedSource serves the checkpoint already verified, so that fsck checks
// the tree the caller holds even if the log grows meanwhile, and records
// the first read that failed for want of access rather than for the log's
// content, so that an I/O error is not reported as corruption.
type pinnedSource struct {
	*Source
	cp []byte

	mu  sync.Mutex
	err error
}

func (p *pinnedSource) ReadCheckpoint(context.Context) ([]byte, error) { return p.cp, nil }

func (p *pinnedSource) ReadTile(ctx context.Context, l, i uint64, w uint8) ([]byte, error) {
	return p.note(p.Source.ReadTile(ctx, l, i, w))
}

func (p *pinnedSource) ReadEntryBundle(ctx context.Context, i uint64, w uint8) ([]byte, error) {
	return p.note(p.Source.ReadEntryBundle(ctx, i, w))
}

func (p *pinnedSource) note(b []byte, err error) ([]byte, error) {
	if errors.Is(err, ErrUnavailable) {
		p.mu.Lock()
		if p.err == nil {
			p.err = err
		}
		p.mu.Unlock()
	}
	return b, err
}

func (p *pinnedSource) ioErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// errNotCommitment reports an entry of the log that is not an iotrust
// commitment.
var errNotCommitment = errors.New("entry is not an iotrust commitment")

func commitmentLeafHashes(bundle []byte) ([][]byte, error) {
	var b api.EntryBundle
	if err := b.UnmarshalText(bundle); err != nil {
		return nil, err
	}
	hs := make([][]byte, len(b.Entries))
	for i, e := range b.Entries {
		if _, err := anchor.DecodeCommitment(e); err != nil {
			return nil, fmt.Errorf("%w: entry %d of its bundle: %w", errNotCommitment, i, err)
		}
		hs[i] = rfc6962.DefaultHasher.HashLeaf(e)
	}
	return hs, nil
}
