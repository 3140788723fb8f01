package reading

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"runtime"
	"sync"

	"github.com/hdevalence/ed25519consensus"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// BatchSize is how many Ed25519 signatures VerifyBatch checks in one batch
// equation; MinChunk is the fewest readings one goroutine of VerifyBatch
// takes on.
const (
	BatchSize = 64
	MinChunk  = BatchSize
)

// Sign validates r and signs it with key, the device's key. When r.Device
// is a did:key or did:jwk DID or DID URL, it must resolve to key's public
// key, as verifiers will resolve it: the DID of that key, with no fragment
// or the one naming its verification method (ErrKeyMismatch otherwise).
// Other methods are resolved only by verifiers.
func Sign(key did.PrivateKey, r Reading) (Signed, error) {
	if key == nil {
		return Signed{}, fmt.Errorf("%w: nil key", ErrKeyMismatch)
	}
	msg, err := r.SigningMessage()
	if err != nil {
		return Signed{}, err
	}
	if err := checkSelfCertifying(r.Device, key.Public()); err != nil {
		return Signed{}, err
	}
	sig, err := key.Sign(msg)
	if err != nil {
		return Signed{}, fmt.Errorf("reading: signing: %w", err)
	}
	return Signed{Reading: r, Signature: sig}, nil
}

func checkSelfCertifying(device string, pub did.PublicKey) error {
	d, _, err := did.SplitURL(device)
	if err != nil {
		return fmt.Errorf("%w: device: %w", ErrMalformed, err)
	}
	m, _ := did.Method(d)
	if m != "key" && m != "jwk" {
		return nil
	}
	want, err := did.New(pub)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrKeyMismatch, err)
	}
	// The whole device, fragment included, is what verifiers resolve: a
	// fragment that names no key of the DID fails there, so it fails here.
	got, err := did.ResolveKey(device)
	if err != nil {
		return fmt.Errorf("%w: device %s: %w", ErrKeyMismatch, shortDID(device), err)
	}
	if m == "jwk" {
		// did:jwk is whatever JWK the key has; compare the keys.
		if !got.Equal(pub) {
			return fmt.Errorf("%w: device %s", ErrKeyMismatch, shortDID(device))
		}
		return nil
	}
	if d != want {
		return fmt.Errorf("%w: device %s, key %s", ErrKeyMismatch, shortDID(device), shortDID(want))
	}
	return nil
}

// Verify checks s: it validates, resolves the key its device had at the
// reading's time through keys, and verifies the signature over the
// signing message. Ed25519 follows ZIP-215 (ed25519consensus.Verify), the
// rule VerifyBatch applies, so a reading is accepted alone exactly when it
// is accepted in a batch. Errors match ErrMalformed, ErrNoKey (wrapping
// the resolver's error) or ErrBadSignature.
func Verify(ctx context.Context, keys did.KeyResolver, s Signed) error {
	var p prepared
	if err := p.prepare(ctx, keys, &s, false); err != nil {
		return err
	}
	return p.verifyOne(&s)
}

// VerifyBatch verifies many readings and returns one error per reading,
// in order: nil for a valid one, otherwise what Verify would return for
// it. Ed25519 signatures are checked BatchSize at a time with one batch
// equation (ZIP-215, ed25519consensus); when a batch fails, its readings
// are checked one by one, so a forged reading rejects only itself. Other
// schemes are checked one by one. Inputs of at least 2×MinChunk readings
// are split into contiguous chunks across GOMAXPROCS goroutines. When ctx
// is done, readings not yet checked get ctx's error.
func VerifyBatch(ctx context.Context, keys did.KeyResolver, ss []Signed) []error {
	return verifyBatch(ctx, keys, ss, nil, nil)
}

// VerifyBatchIDs is VerifyBatch that also returns every reading's ID,
// which verification computes anyway (it is the signing message). ids[i]
// is set where errs[i] is nil; elsewhere it is the zero Digest.
func VerifyBatchIDs(ctx context.Context, keys did.KeyResolver, ss []Signed) (ids []canon.Digest, errs []error) {
	ids = make([]canon.Digest, len(ss))
	return ids, verifyBatch(ctx, keys, ss, ids, nil)
}

// VerifyBatchLeaves is VerifyBatchIDs that also returns every verified
// reading's leaf bytes (what LeafBytes returns), made from the canonical
// encoding verification computes anyway. leaves[i] is set where errs[i]
// is nil.
func VerifyBatchLeaves(ctx context.Context, keys did.KeyResolver, ss []Signed) (ids []canon.Digest, leaves [][]byte, errs []error) {
	ids, leaves = make([]canon.Digest, len(ss)), make([][]byte, len(ss))
	return ids, leaves, verifyBatch(ctx, keys, ss, ids, leaves)
}

func verifyBatch(ctx context.Context, keys did.KeyResolver, ss []Signed, ids []canon.Digest, leaves [][]byte) []error {
	errs := make([]error, len(ss))
	if len(ss) == 0 {
		return errs
	}
	workers := min(runtime.GOMAXPROCS(0), len(ss)/MinChunk)
	if workers <= 1 {
		verifyChunk(ctx, keys, ss, errs, ids, leaves)
		return errs
	}
	per := (len(ss) + workers - 1) / workers
	chunk := func(lo, hi int) {
		var idc []canon.Digest
		if ids != nil {
			idc = ids[lo:hi]
		}
		var lc [][]byte
		if leaves != nil {
			lc = leaves[lo:hi]
		}
		verifyChunk(ctx, keys, ss[lo:hi], errs[lo:hi], idc, lc)
	}
	// The first chunk runs on the calling goroutine, whose stack has
	// usually grown to what verification needs already.
	var wg sync.WaitGroup
	for lo := per; lo < len(ss); lo += per {
		wg.Go(func() { chunk(lo, min(lo+per, len(ss))) })
	}
	chunk(0, per)
	wg.Wait()
	return errs
}

// prepared is one reading ready for its signature check.
type prepared struct {
	msg [32]byte
	key did.PublicKey
	ed  bool   // an Ed25519 key: checked in batches
	c   []byte // the canonical JSON without signature, when leaves are wanted
	at  int    // where in c the signature goes
}

func (p *prepared) prepare(ctx context.Context, keys did.KeyResolver, s *Signed, keep bool) error {
	if err := s.Validate(); err != nil {
		return err
	}
	ms, _ := unixMilli(s.Time) // checked by Validate
	w := wire{r: &s.Reading, ms: ms}
	if keep { // the leaf is made in place (withSig)
		w.room = sigMember(len(s.Signature))
	}
	c, at := w.canonicalSplit()
	p.msg = idHasher.Sum(c).Sum
	if keep {
		p.c, p.at = c, at
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if keys == nil {
		return fmt.Errorf("%w: no key resolver", ErrNoKey)
	}
	k, err := keys.KeyAt(ctx, s.Device, s.Time)
	if err != nil {
		return fmt.Errorf("%w: device %s: %w", ErrNoKey, shortDID(s.Device), err)
	}
	if k == nil {
		return fmt.Errorf("%w: device %s: resolver returned no key", ErrNoKey, shortDID(s.Device))
	}
	p.key = k
	// Every Ed25519 key, whichever implementation of the scheme resolved
	// it, is checked under ZIP-215.
	p.ed = k.Scheme().Name() == did.Ed25519.Name() && len(k.Bytes()) == ed25519.PublicKeySize
	return nil
}

func (p *prepared) verifyOne(s *Signed) error {
	var ok bool
	if p.ed {
		ok = ed25519consensus.Verify(p.key.Bytes(), p.msg[:], s.Signature)
	} else {
		ok = len(s.Signature) == p.key.Scheme().SignatureSize() && p.key.Verify(p.msg[:], s.Signature)
		if ok && !did.CanonicalSignature(p.key, s.Signature) {
			// The leaf commits to the signature's bytes: a second form
			// of one signature would be a second leaf for one reading.
			return fmt.Errorf("%w: device %s seq %d (%s): not the canonical (low-s) form of the signature",
				ErrBadSignature, shortDID(s.Device), s.Seq, p.key.Scheme().Name())
		}
	}
	if !ok {
		return p.badSignature(s)
	}
	return nil
}

func (p *prepared) badSignature(s *Signed) error {
	return fmt.Errorf("%w: device %s seq %d (%s)", ErrBadSignature, shortDID(s.Device), s.Seq, p.key.Scheme().Name())
}

// verifyChunk verifies ss into errs on the calling goroutine, and sets
// ids and leaves (each when not nil) of the readings that verify.
func verifyChunk(ctx context.Context, keys did.KeyResolver, ss []Signed, errs []error, ids []canon.Digest, leaves [][]byte) {
	var (
		ps      = make([]prepared, len(ss))
		pending = make([]int, 0, BatchSize) // Ed25519 readings waiting for a batch
		batch   = make([]edEntry, 0, BatchSize)
		ok      = make([]bool, BatchSize)
	)
	if ids != nil || leaves != nil {
		defer func() {
			for i := range errs {
				if errs[i] != nil {
					continue
				}
				if ids != nil {
					ids[i] = canon.Digest{Func: canon.BLAKE3, Sum: ps[i].msg}
				}
				if leaves != nil {
					leaves[i] = withSig(ps[i].c, ps[i].at, ss[i].Signature)
				}
			}
		}()
	}
	flush := func() {
		batch = batch[:0]
		for _, i := range pending {
			batch = append(batch, edEntry{pub: ps[i].key.Bytes(), msg: ps[i].msg[:], sig: ss[i].Signature})
		}
		verifyEd25519(batch, ok)
		for j, i := range pending {
			if !ok[j] {
				errs[i] = ps[i].badSignature(&ss[i])
			}
		}
		pending = pending[:0]
	}
	for i := range ss {
		if err := ctx.Err(); err != nil {
			flush()
			for j := i; j < len(ss); j++ {
				errs[j] = err
			}
			return
		}
		if err := ps[i].prepare(ctx, keys, &ss[i], leaves != nil); err != nil {
			errs[i] = err
			continue
		}
		if !ps[i].ed {
			errs[i] = ps[i].verifyOne(&ss[i])
			continue
		}
		pending = append(pending, i)
		if len(pending) == BatchSize {
			flush()
		}
	}
	flush()
}

// edEntry is one Ed25519 signature check.
type edEntry struct{ pub, msg, sig []byte }

// verifyEd25519 sets ok[i] to whether es[i] verifies under ZIP-215: all
// true at the cost of one batch equation when the batch holds, otherwise
// each entry checked alone with the same rule.
func verifyEd25519(es []edEntry, ok []bool) {
	if len(es) == 0 {
		return
	}
	if len(es) > 1 {
		bv := ed25519consensus.NewPreallocatedBatchVerifier(len(es))
		for _, e := range es {
			bv.Add(e.pub, e.msg, e.sig)
		}
		if bv.Verify() {
			for i := range es {
				ok[i] = true
			}
			return
		}
	}
	for i, e := range es {
		ok[i] = ed25519consensus.Verify(e.pub, e.msg, e.sig)
	}
}

func shortDID(d string) string {
	if len(d) > 40 {
		return d[:32] + "…" + d[len(d)-6:]
	}
	return d
}
