package tlog

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/client"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
)

// find returns the entry anchored under root.
func (l *Log) find(root canon.Digest) (entryRef, bool, error) {
	l.mu.Lock()
	r, ok := l.recent[root]
	l.mu.Unlock()
	if ok {
		return r, true, nil
	}
	return l.ix.get(root)
}

// Anchor appends c to the log, unless the log holds it already. It
// returns once the entry is sequenced, integrated into the tree and
// fsynced (State Included; Final if a checkpoint covers it already).
func (l *Log) Anchor(ctx context.Context, c anchor.Commitment) (anchor.Receipt, error) {
	enc, err := c.MarshalBinary()
	if err != nil {
		return anchor.Receipt{}, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return anchor.Receipt{}, err
		}
		if err := l.usable(); err != nil {
			return anchor.Receipt{}, err
		}
		l.mu.Lock()
		if p := l.pending[c.Root]; p != nil {
			l.mu.Unlock()
			select {
			case <-p.done:
				continue // written or failed: look again
			case <-ctx.Done():
				return anchor.Receipt{}, ctx.Err()
			}
		}
		r, found := l.recent[c.Root]
		if !found {
			var err error
			if r, found, err = l.ix.get(c.Root); err != nil {
				l.mu.Unlock()
				return anchor.Receipt{}, err
			}
		}
		if found {
			l.mu.Unlock()
			if string(r.entry) != string(enc) {
				return anchor.Receipt{}, fmt.Errorf("%w: %s at index %d", anchor.ErrRootConflict, c.Root, r.index)
			}
			return l.receipt(ctx, r)
		}
		select {
		case <-l.closed: // Close has begun: no new writes
			l.mu.Unlock()
			return anchor.Receipt{}, anchor.ErrClosed
		default:
		}
		p := &pendingAnchor{done: make(chan struct{})}
		l.pending[c.Root] = p
		l.writes.Add(1)
		l.mu.Unlock()

		// The write belongs to the log, not to the caller: once queued it
		// completes (and is recorded) even if ctx ends first.
		future := l.appender.Add(l.bg, tessera.NewEntry(enc))
		go func() {
			defer l.writes.Done()
			idx, err := future()
			l.mu.Lock()
			if err == nil {
				l.recent[c.Root] = entryRef{index: idx.Index, time: time.Now().UTC(), entry: enc}
				l.acked = max(l.acked, idx.Index+1)
			} else {
				p.err = fmt.Errorf("%w: %s: %w", anchor.ErrUnavailable, l.origin, err)
			}
			delete(l.pending, c.Root)
			l.mu.Unlock()
			close(p.done)
		}()
		select {
		case <-p.done:
			if p.err != nil {
				return anchor.Receipt{}, p.err
			}
		case <-ctx.Done():
			return anchor.Receipt{}, ctx.Err()
		}
	}
}

// receipt builds the receipt of an entry in its current state.
func (l *Log) receipt(ctx context.Context, r entryRef) (anchor.Receipt, error) {
	c, err := anchor.DecodeCommitment(r.entry)
	if err != nil {
		return anchor.Receipt{}, corrupt(err, "index entry %d", r.index)
	}
	lh := leafHash(r.entry)
	rc := anchor.Receipt{
		Ledger: LedgerName, Chain: l.origin, Commitment: c, Position: r.index,
		TxID: hex.EncodeToString(lh[:]), Time: r.time, State: anchor.Included,
	}
	l.mu.Lock()
	cp := l.cp
	l.mu.Unlock()
	if r.index >= cp.Size {
		return rc, nil
	}
	pb, err := client.NewProofBuilder(ctx, cp.Size, l.reader.ReadTile)
	if err != nil {
		return anchor.Receipt{}, err
	}
	return l.finalReceipt(ctx, rc, cp, pb)
}

// finalReceipt attaches the inclusion proof of rc in cp.
func (l *Log) finalReceipt(ctx context.Context, rc anchor.Receipt, cp Checkpoint, pb *client.ProofBuilder) (anchor.Receipt, error) {
	hashes, err := pb.InclusionProof(ctx, rc.Position)
	if err != nil {
		return anchor.Receipt{}, storageErr(false, err, fmt.Sprintf("inclusion proof of %d in %d", rc.Position, cp.Size))
	}
	p := InclusionProof{Index: rc.Position, TreeSize: cp.Size, Checkpoint: cp.Raw, Hashes: make([][32]byte, len(hashes))}
	for i, h := range hashes {
		if len(h) != 32 {
			return anchor.Receipt{}, fmt.Errorf("%w: proof hash of %d bytes", ErrCorrupt, len(h))
		}
		copy(p.Hashes[i][:], h)
	}
	if rc.Proof, err = p.MarshalBinary(); err != nil {
		return anchor.Receipt{}, err
	}
	rc.State = anchor.Final
	return rc, nil
}

// Lookup returns the receipt of the commitment anchored under root, Final
// with its proof if a checkpoint covers it, or ErrNotAnchored.
func (l *Log) Lookup(ctx context.Context, root canon.Digest) (anchor.Receipt, error) {
	if err := l.usable(); err != nil {
		return anchor.Receipt{}, err
	}
	if !root.Valid() {
		return anchor.Receipt{}, fmt.Errorf("%w: %w: invalid root", anchor.ErrInvalidCommitment, anchor.ErrBadRoot)
	}
	r, found, err := l.find(root)
	if err != nil {
		return anchor.Receipt{}, err
	}
	if !found {
		return anchor.Receipt{}, fmt.Errorf("%w: %s in %s", anchor.ErrNotAnchored, root, l.origin)
	}
	return l.receipt(ctx, r)
}

// WaitFinal waits until a checkpoint covers r's entry, and returns the
// receipt with its inclusion proof. On a log, Final means: a checkpoint
// signed by the log (and cosigned by its witnesses, if configured)
// commits to the entry, so removing or changing it later is detectable by
// anyone holding the receipt.
func (l *Log) WaitFinal(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	ref, err := l.entryOf(ctx, r)
	if errors.Is(err, anchor.ErrNotAnchored) {
		err = wrap(anchor.ErrBadReceipt, err)
	}
	if err != nil {
		return anchor.Receipt{}, err
	}
	for {
		l.mu.Lock()
		covered, next, failure := l.cp.Size > ref.index, l.cpNext, l.failure
		l.mu.Unlock()
		if failure != nil {
			return anchor.Receipt{}, failure
		}
		if covered {
			return l.receipt(ctx, ref)
		}
		select {
		case <-next:
		case <-ctx.Done():
			return anchor.Receipt{}, ctx.Err()
		case <-l.closed:
			return anchor.Receipt{}, anchor.ErrClosed
		}
	}
}

// entryOf returns the entry r is a receipt of: an error matching
// anchor.ErrBadReceipt if r names another log, an invalid commitment, or a
// position that holds another entry, and anchor.ErrNotAnchored if the log
// does not hold r's commitment.
func (l *Log) entryOf(ctx context.Context, r anchor.Receipt) (entryRef, error) {
	if err := l.usable(); err != nil {
		return entryRef{}, err
	}
	if r.Ledger != LedgerName || r.Chain != l.origin {
		return entryRef{}, fmt.Errorf("%w: receipt of %s %q, this is %s %q", anchor.ErrBadReceipt, r.Ledger, r.Chain, LedgerName, l.origin)
	}
	enc, err := r.Commitment.MarshalBinary()
	if err != nil {
		return entryRef{}, wrap(anchor.ErrBadReceipt, err)
	}
	ref, found, err := l.find(r.Root())
	switch {
	case err != nil:
		return entryRef{}, err
	case !found:
		return entryRef{}, fmt.Errorf("%w: %s in %s", anchor.ErrNotAnchored, r.Root(), l.origin)
	case string(ref.entry) == string(enc) && ref.index == r.Position:
		return ref, nil
	}
	// Nodes that share one database (Config.Driver) can each append a
	// commitment under the same root before either sees the other's
	// entry. The index names the first; a later entry is as much in the
	// log, and its receipt as good.
	e, err := l.entryAt(ctx, r.Position)
	switch {
	case err == nil && string(e) == string(enc):
		return entryRef{index: r.Position, time: r.Time, entry: e}, nil
	case err != nil && !errors.Is(err, anchor.ErrNotAnchored):
		return entryRef{}, err
	case string(ref.entry) != string(enc):
		return entryRef{}, fmt.Errorf("%w: root %s holds another commitment at index %d of %s", anchor.ErrBadReceipt, r.Root(), ref.index, l.origin)
	default:
		return entryRef{}, fmt.Errorf("%w: %s is at index %d of %s, not %d", anchor.ErrBadReceipt, r.Root(), ref.index, l.origin, r.Position)
	}
}

// entryAt reads the entry at index i, or returns ErrNotAnchored if the
// log does not hold that many entries.
func (l *Log) entryAt(ctx context.Context, i uint64) ([]byte, error) {
	size := l.Checkpoint().Size
	if i >= size {
		var err error
		if size, err = l.reader.IntegratedSize(ctx); err != nil {
			return nil, storageErr(false, err, "integrated size")
		}
	}
	if i >= size {
		return nil, fmt.Errorf("%w: index %d of %s", anchor.ErrNotAnchored, i, l.origin)
	}
	es, err := readEntries(ctx, l.reader.ReadEntryBundle, i, i+1, size)
	if err != nil {
		return nil, err
	}
	return es[0], nil
}

// Upgrade returns r's entry as the log holds it now (see anchor.Upgrader):
// Final, with an inclusion proof in the latest checkpoint this Log has
// verified, once one covers the entry, Included before. It reads the root
// index and the log's tiles, so it answers for any receipt the log ever
// issued, also after restarts; it never waits for a checkpoint (WaitFinal
// does).
func (l *Log) Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return anchor.Receipt{}, err
	}
	ref, err := l.entryOf(ctx, r)
	if err != nil {
		return anchor.Receipt{}, err
	}
	return l.receipt(ctx, ref)
}

// Follow yields the entries at index >= from, Final with their proofs, as
// checkpoints cover them: the log is read from storage as fast as the
// loop consumes, so a slow consumer holds nothing but its position. It
// ends with the context's error, ErrClosed when the log closes, or the
// error that stopped the log.
func (l *Log) Follow(ctx context.Context, from uint64) iter.Seq2[anchor.Receipt, error] {
	return func(yield func(anchor.Receipt, error) bool) {
		next := from
		for {
			if err := l.usable(); err != nil {
				yield(anchor.Receipt{}, err)
				return
			}
			l.mu.Lock()
			cp, changed := l.cp, l.cpNext
			l.mu.Unlock()
			if next < cp.Size {
				pb, err := client.NewProofBuilder(ctx, cp.Size, l.reader.ReadTile)
				if err != nil {
					yield(anchor.Receipt{}, err)
					return
				}
				for next < cp.Size {
					to := min(cp.Size, next+64)
					entries, err := readEntries(ctx, l.reader.ReadEntryBundle, next, to, cp.Size)
					if err != nil {
						if ctx.Err() != nil {
							err = ctx.Err()
						}
						yield(anchor.Receipt{}, err)
						return
					}
					for _, e := range entries {
						r, err := l.followed(ctx, next, e, cp, pb)
						if err == nil && ctx.Err() != nil {
							err = ctx.Err()
						}
						if err != nil {
							yield(anchor.Receipt{}, err)
							return
						}
						if !yield(r, nil) {
							return
						}
						next++
					}
				}
				continue
			}
			select {
			case <-changed:
			case <-ctx.Done():
				yield(anchor.Receipt{}, ctx.Err())
				return
			case <-l.closed:
				yield(anchor.Receipt{}, anchor.ErrClosed)
				return
			}
		}
	}
}

func (l *Log) followed(ctx context.Context, i uint64, e []byte, cp Checkpoint, pb *client.ProofBuilder) (anchor.Receipt, error) {
	c, err := anchor.DecodeCommitment(e)
	if err != nil {
		return anchor.Receipt{}, corrupt(err, "entry %d is not a commitment", i)
	}
	t := time.Time{}
	if ref, ok, err := l.find(c.Root); err == nil && ok && ref.index == i {
		t = ref.time
	}
	lh := leafHash(e)
	rc := anchor.Receipt{
		Ledger: LedgerName, Chain: l.origin, Commitment: c, Position: i,
		TxID: hex.EncodeToString(lh[:]), Time: t,
	}
	return l.finalReceipt(ctx, rc, cp, pb)
}

// VerifyReceipt checks r offline against the log's key (see
// Verifier.VerifyReceipt); it does not consult the log's storage.
func (l *Log) VerifyReceipt(ctx context.Context, r anchor.Receipt) error {
	return l.verifier.VerifyReceipt(ctx, r)
}

// Checkpoint returns the latest checkpoint this Log has verified.
func (l *Log) Checkpoint() Checkpoint {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cp
}

// ConsistencyProof returns the proof that the tree of size older is a
// prefix of the tree of size newer (<= the latest checkpoint's size), for
// a Tracker that remembers a checkpoint of size older. Sizes out of that
// range give ErrTreeSize, a closed Log anchor.ErrClosed, and storage that
// cannot be read ErrIO or ErrCorrupt.
func (l *Log) ConsistencyProof(ctx context.Context, older, newer uint64) ([][]byte, error) {
	if err := l.usable(); err != nil {
		return nil, err
	}
	cp := l.Checkpoint()
	if older > newer || newer > cp.Size {
		return nil, fmt.Errorf("%w: consistency proof from %d to %d in a log of size %d", ErrTreeSize, older, newer, cp.Size)
	}
	if older == 0 || older == newer {
		return nil, nil
	}
	pb, err := client.NewProofBuilder(ctx, newer, l.reader.ReadTile)
	if err != nil {
		return nil, storageErr(false, err, fmt.Sprintf("consistency proof from %d to %d", older, newer))
	}
	p, err := pb.ConsistencyProof(ctx, older, newer)
	if err != nil {
		return nil, storageErr(false, err, fmt.Sprintf("consistency proof from %d to %d", older, newer))
	}
	return p, nil
}

// ErrTreeSize is returned by Log.ConsistencyProof for tree sizes other
// than 0 <= older <= newer <= the size of the latest checkpoint.
var ErrTreeSize = errors.New("tlog: tree size out of range")

var (
	_ anchor.Ledger          = (*Log)(nil)
	_ anchor.ReceiptVerifier = (*Log)(nil)
	_ anchor.ReceiptVerifier = (*Verifier)(nil)
)
