package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/canon"
)

// Bounds of Options.
const (
	// DefaultMaxBlobSize is the plaintext bound when Options.MaxBlobSize is 0.
	DefaultMaxBlobSize = 64 << 20
	// MaxBlobSizeLimit is the largest Options.MaxBlobSize accepted: a
	// blob is sealed and opened in memory.
	MaxBlobSizeLimit = 1 << 30
	// DefaultMaxRecipients is the recipient bound when
	// Options.MaxRecipients is 0.
	DefaultMaxRecipients = 64
	// MaxRecipientsLimit is the largest Options.MaxRecipients accepted and
	// the most recipients a stored envelope may hold.
	MaxRecipientsLimit = 1024
)

// Options configure a Store. The zero value is usable: BLAKE3 CIDs,
// DefaultMaxBlobSize, DefaultMaxRecipients, crypto/rand, no logging.
type Options struct {
	// Hash is the multihash function of the CIDs that Put makes:
	// canon.BLAKE3 (the default when 0) or canon.SHA256. Get reads blobs
	// of either function, whatever this says.
	Hash canon.HashFunc
	// MaxBlobSize bounds a plaintext in bytes (0: DefaultMaxBlobSize; at
	// most MaxBlobSizeLimit). Get refuses stored blobs larger than a blob
	// of this size can be.
	MaxBlobSize int64
	// MaxRecipients bounds the recipients of one blob that Put and Grant
	// make (0: DefaultMaxRecipients; at most MaxRecipientsLimit).
	MaxRecipients int
	// Rand is the source of data keys, nonces and HPKE ephemeral keys
	// (nil: crypto/rand). The Store serializes its reads from it.
	Rand io.Reader
	// Logger receives one debug record per change (Put, Grant, Revoke,
	// Delete) naming the CID and recipient IDs, never keys (nil: discard).
	Logger *slog.Logger
}

// Store keeps encrypted, content-addressed blobs in a Backend. All methods
// are safe for concurrent use.
type Store struct {
	b       Backend
	hash    canon.HashFunc
	maxBlob int64
	maxRcpt int
	rand    io.Reader
	log     *slog.Logger
	closed  atomic.Bool
	// sealed holds *[]byte buffers for Put's sealed blobs: a gateway puts
	// a blob of a megabyte or more per batch, and fresh memory for each
	// costs page faults and collections.
	sealed sync.Pool
}

// Open returns a Store on the default filesystem backend in dir (created if
// missing, mode 0700). The Store holds an exclusive lock on dir until
// Close: a second Open of the same directory fails with ErrLocked.
func Open(dir string, opts Options) (*Store, error) {
	if _, err := opts.resolve(); err != nil {
		return nil, err
	}
	b, err := openFS(dir)
	if err != nil {
		return nil, err
	}
	s, err := New(b, opts)
	if err != nil {
		b.Close()
		return nil, err
	}
	return s, nil
}

// New returns a Store on backend b. Close closes b if b is an io.Closer.
func New(b Backend, opts Options) (*Store, error) {
	if b == nil {
		return nil, fmt.Errorf("%w: nil Backend", ErrInvalidOptions)
	}
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return &Store{b: b, hash: o.Hash, maxBlob: o.MaxBlobSize, maxRcpt: o.MaxRecipients, rand: o.Rand, log: o.Logger}, nil
}

func (o Options) resolve() (Options, error) {
	if o.Hash == 0 {
		o.Hash = canon.DefaultHash
	}
	if !o.Hash.Valid() {
		return o, fmt.Errorf("%w: hash function %s", ErrInvalidOptions, o.Hash)
	}
	if o.MaxBlobSize == 0 {
		o.MaxBlobSize = DefaultMaxBlobSize
	}
	if o.MaxBlobSize < 0 || o.MaxBlobSize > MaxBlobSizeLimit {
		return o, fmt.Errorf("%w: MaxBlobSize %d outside 1..%d", ErrInvalidOptions, o.MaxBlobSize, MaxBlobSizeLimit)
	}
	if o.MaxRecipients == 0 {
		o.MaxRecipients = DefaultMaxRecipients
	}
	if o.MaxRecipients < 0 || o.MaxRecipients > MaxRecipientsLimit {
		return o, fmt.Errorf("%w: MaxRecipients %d outside 1..%d", ErrInvalidOptions, o.MaxRecipients, MaxRecipientsLimit)
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	} else {
		o.Rand = &lockedReader{r: o.Rand}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// Close closes the backend (for Open: releases the directory lock). Calls
// after the first return nil; other methods then fail with ErrClosed.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if c, ok := s.b.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

func (s *Store) check(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

// Put seals plaintext under a fresh data key, wraps the key for each
// recipient, stores blob and envelope, and returns the blob's CID. A
// recipient given twice gets one wrapping. Sealing the same plaintext twice
// gives two different CIDs (fresh key and nonce each time).
//
// When Put returns a CID, blob and envelope are durable in the Backend.
// Errors: ErrNoRecipients, ErrTooManyRecipients, ErrBadKey (a zero
// Recipient), ErrTooLarge, or the Backend's.
func (s *Store) Put(ctx context.Context, plaintext []byte, recipients ...Recipient) (cid.Cid, error) {
	if err := s.check(ctx); err != nil {
		return cid.Undef, err
	}
	if int64(len(plaintext)) > s.maxBlob {
		return cid.Undef, fmt.Errorf("%w: plaintext of %d bytes, limit %d", ErrTooLarge, len(plaintext), s.maxBlob)
	}
	rs, err := s.distinct(recipients)
	if err != nil {
		return cid.Undef, err
	}
	var secret [dataKeySize + nonceSize]byte
	defer clear(secret[:])
	if _, err := io.ReadFull(s.rand, secret[:]); err != nil {
		return cid.Undef, fmt.Errorf("store: reading randomness: %w", err)
	}
	dataKey := secret[:dataKeySize]
	// The sealed blob goes into a reused buffer: backends do not keep
	// Put's data (see Backend), and both writes are over when Put returns.
	bp, _ := s.sealed.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	blob := appendSealed(*bp, dataKey, secret[dataKeySize:], plaintext)
	defer func() {
		*bp = blob[:0]
		s.sealed.Put(bp)
	}()
	c := cidOf(s.hash, blob)
	env := &envelope{cid: c, entries: make([]entry, 0, len(rs))}
	for _, r := range rs {
		x, err := s.wrap(c, r, dataKey)
		if err != nil {
			return cid.Undef, err
		}
		env.entries = append(env.entries, x)
	}
	d, _ := cidDigest(c)
	blobName, envName := objectNames(c, d)
	// Both writes run at once, so their syncs overlap. A crash before Put
	// returns can leave one of the two objects under a CID nobody was
	// given: unreadable (a blob without wrappings, or wrappings without a
	// blob, which Get reports as ErrNotFound), and removed by Delete.
	envBytes := env.encode()
	blobErr := make(chan error, 1)
	go func() { blobErr <- s.b.Put(ctx, blobName, blob) }()
	envErr := s.b.Put(ctx, envName, envBytes)
	if err := errors.Join(<-blobErr, envErr); err != nil {
		// Best effort: leave no half of a blob whose CID nobody got.
		_ = s.b.Delete(context.WithoutCancel(ctx), envName)
		_ = s.b.Delete(context.WithoutCancel(ctx), blobName)
		return cid.Undef, err
	}
	s.log.DebugContext(ctx, "store: put", "cid", c.String(), "bytes", len(blob), "recipients", len(rs))
	return c, nil
}

// distinct checks the recipients and returns them without repeats, in ID
// order.
func (s *Store) distinct(recipients []Recipient) ([]Recipient, error) {
	if len(recipients) == 0 {
		return nil, ErrNoRecipients
	}
	rs := make([]Recipient, 0, len(recipients))
	seen := make(map[RecipientID]bool, len(recipients))
	for i, r := range recipients {
		if !r.valid() {
			return nil, fmt.Errorf("%w: recipient %d is the zero Recipient", ErrBadKey, i)
		}
		if !seen[r.id] {
			seen[r.id] = true
			rs = append(rs, r)
		}
	}
	if len(rs) > s.maxRcpt {
		return nil, fmt.Errorf("%w: %d, limit %d", ErrTooManyRecipients, len(rs), s.maxRcpt)
	}
	slices.SortFunc(rs, func(a, b Recipient) int { return bytes.Compare(a.id[:], b.id[:]) })
	return rs, nil
}

func (s *Store) wrap(c cid.Cid, r Recipient, dataKey []byte) (entry, error) {
	enc, ct, err := hpkeSeal(s.rand, r.pk[:], wrapInfo(c), nil, dataKey)
	if err != nil {
		return entry{}, err
	}
	x := entry{id: r.id}
	copy(x.enc[:], enc)
	copy(x.wrapped[:], ct)
	return x, nil
}

// unwrap opens id's wrapping in e. Errors: ErrNotRecipient, ErrCorrupt.
func unwrap(e *envelope, id Identity) ([]byte, error) {
	i, ok := e.find(id.r.id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotRecipient, id.r.id)
	}
	x := &e.entries[i]
	k, err := hpkeOpen(id.sk[:], x.enc[:], wrapInfo(e.cid), nil, x.wrapped[:])
	if err != nil {
		return nil, corrupt("the wrapping for %s does not open", id.r.id)
	}
	return k, nil
}

// envelope reads and parses c's envelope and checks that it names c.
func (s *Store) envelope(ctx context.Context, c cid.Cid, name string) (*envelope, error) {
	raw, err := s.b.Get(ctx, name, maxEnvelopeSize)
	if err != nil {
		return nil, envErr(err)
	}
	return parseOwnEnvelope(c, raw)
}

func parseOwnEnvelope(c cid.Cid, raw []byte) (*envelope, error) {
	e, err := parseEnvelope(raw)
	if err != nil {
		return nil, err
	}
	if !e.cid.Equals(c) {
		return nil, fmt.Errorf("%w: the envelope stored for %s names %s", ErrCIDMismatch, c, e.cid)
	}
	return e, nil
}

// envErr turns an oversized envelope into corruption: no Store writes one.
func envErr(err error) error {
	if errors.Is(err, ErrTooLarge) {
		return corrupt("envelope: %v", err)
	}
	return err
}

// Get returns the plaintext of the blob c, read with identity id.
//
// Before anything is decrypted, the stored bytes are hashed and compared
// with c; then id's wrapping is opened (HPKE), the data key is checked
// against the key commitment the blob carries, and the body is decrypted
// and authenticated. Errors: ErrBadCID, ErrBadKey (zero Identity),
// ErrNotFound, ErrNotRecipient, ErrTooLarge (a stored blob larger than
// Options.MaxBlobSize allows), ErrCIDMismatch and ErrCorrupt (damaged or
// swapped objects), or the Backend's.
func (s *Store) Get(ctx context.Context, c cid.Cid, id Identity) ([]byte, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	d, err := cidDigest(c)
	if err != nil {
		return nil, err
	}
	if !id.r.valid() {
		return nil, fmt.Errorf("%w: zero Identity", ErrBadKey)
	}
	blobName, envName := objectNames(c, d)
	e, err := s.envelope(ctx, c, envName)
	if err != nil {
		return nil, err
	}
	if _, ok := e.find(id.r.id); !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotRecipient, id.r.id)
	}
	blob, err := s.b.Get(ctx, blobName, s.maxBlob+blobOverhead)
	if err != nil {
		return nil, err
	}
	if err := checkCID(c, d, blob); err != nil {
		return nil, err
	}
	h, err := parseBlob(blob)
	if err != nil {
		return nil, err
	}
	dataKey, err := unwrap(e, id)
	if err != nil {
		return nil, err
	}
	defer clear(dataKey)
	return openBlob(h, dataKey)
}

// Grant lets to read c: owner, a current recipient, opens its wrapping of
// the data key and wraps that key for to. The blob is not read, rewritten
// or re-encrypted, and c does not change. owner is checked first: if it
// holds no wrapping of c the error is ErrNotRecipient, whoever to is.
// Granting to a current recipient then does nothing and returns nil.
//
// Errors: ErrBadCID, ErrBadKey (zero owner or to), ErrNotFound,
// ErrNotRecipient (owner has no wrapping), ErrTooManyRecipients,
// ErrCIDMismatch and ErrCorrupt, or the Backend's.
func (s *Store) Grant(ctx context.Context, c cid.Cid, owner Identity, to Recipient) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	d, err := cidDigest(c)
	if err != nil {
		return err
	}
	if !owner.r.valid() {
		return fmt.Errorf("%w: zero owner Identity", ErrBadKey)
	}
	if !to.valid() {
		return fmt.Errorf("%w: zero Recipient", ErrBadKey)
	}
	_, envName := objectNames(c, d)
	granted := false
	err = s.b.Update(ctx, envName, maxEnvelopeSize, func(old []byte) ([]byte, error) {
		granted = false
		e, err := parseOwnEnvelope(c, old)
		if err != nil {
			return nil, err
		}
		// The owner is checked first, always: whether to is already a
		// recipient is not for a stranger to learn, nor a way around
		// ErrNotRecipient.
		dataKey, err := unwrap(e, owner)
		if err != nil {
			return nil, err
		}
		defer clear(dataKey)
		i, present := e.find(to.id)
		if present {
			return nil, nil // already a recipient: leave the envelope as it is
		}
		if len(e.entries) >= s.maxRcpt {
			return nil, fmt.Errorf("%w: %s has %d, limit %d", ErrTooManyRecipients, c, len(e.entries), s.maxRcpt)
		}
		x, err := s.wrap(c, to, dataKey)
		if err != nil {
			return nil, err
		}
		e.entries = slices.Insert(e.entries, i, x)
		granted = true
		return e.encode(), nil
	})
	if err != nil {
		return envErr(err)
	}
	if !granted {
		return nil
	}
	s.log.DebugContext(ctx, "store: grant", "cid", c.String(), "to", to.id.String(), "by", owner.r.id.String())
	return nil
}

// Revoke removes recipient's wrapping of c's data key, so that a later Get
// with that recipient's identity fails with ErrNotRecipient. It cannot
// claw back a plaintext or data key the recipient already read; to make
// what was shared unreadable to everyone, Delete the blob.
//
// Errors: ErrBadCID, ErrNotFound, ErrNotRecipient (no such wrapping),
// ErrLastRecipient, ErrCIDMismatch and ErrCorrupt, or the Backend's.
func (s *Store) Revoke(ctx context.Context, c cid.Cid, recipient RecipientID) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	d, err := cidDigest(c)
	if err != nil {
		return err
	}
	_, envName := objectNames(c, d)
	err = s.b.Update(ctx, envName, maxEnvelopeSize, func(old []byte) ([]byte, error) {
		e, err := parseOwnEnvelope(c, old)
		if err != nil {
			return nil, err
		}
		i, ok := e.find(recipient)
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrNotRecipient, recipient)
		}
		if len(e.entries) == 1 {
			return nil, fmt.Errorf("%w: %s", ErrLastRecipient, recipient)
		}
		e.entries = append(e.entries[:i], e.entries[i+1:]...)
		return e.encode(), nil
	})
	if err != nil {
		return envErr(err)
	}
	s.log.DebugContext(ctx, "store: revoke", "cid", c.String(), "recipient", recipient.String())
	return nil
}

// Delete erases blob c: first its envelope (every wrapping of the data key,
// which alone makes the ciphertext unreadable), then the ciphertext. It
// touches no other object. It fails with ErrNotFound only if neither
// existed, so a Delete that failed half way can be repeated.
//
// Delete erases through the Backend; it cannot scrub copies kept elsewhere
// (backups, the storage medium's free blocks, what recipients already
// read). Anchored commitments and evidence bundles never contain the blob
// — they hold the readings, Merkle paths, roots and the CID as an opaque
// name — so they stay verifiable after Delete.
func (s *Store) Delete(ctx context.Context, c cid.Cid) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	d, err := cidDigest(c)
	if err != nil {
		return err
	}
	blobName, envName := objectNames(c, d)
	envErr := s.b.Delete(ctx, envName)
	if envErr != nil && !errors.Is(envErr, ErrNotFound) {
		return envErr
	}
	blobErr := s.b.Delete(ctx, blobName)
	if blobErr != nil && !errors.Is(blobErr, ErrNotFound) {
		return blobErr
	}
	if envErr != nil && blobErr != nil {
		return fmt.Errorf("%w: %s", ErrNotFound, c)
	}
	s.log.DebugContext(ctx, "store: delete", "cid", c.String())
	return nil
}

// Info describes a stored blob without decrypting it.
type Info struct {
	// Size is the stored blob's length in bytes: the plaintext's plus 78
	// (header 62, authentication tag 16).
	Size int64
	// Recipients are the IDs holding a wrapping of the data key, in
	// ascending byte order.
	Recipients []RecipientID
}

// Stat returns what the envelope says about c and the stored blob's size.
// It does not read or verify the blob (Get does). Errors: ErrBadCID,
// ErrNotFound, ErrCIDMismatch and ErrCorrupt (envelope), or the Backend's.
func (s *Store) Stat(ctx context.Context, c cid.Cid) (Info, error) {
	if err := s.check(ctx); err != nil {
		return Info{}, err
	}
	d, err := cidDigest(c)
	if err != nil {
		return Info{}, err
	}
	blobName, envName := objectNames(c, d)
	e, err := s.envelope(ctx, c, envName)
	if err != nil {
		return Info{}, err
	}
	size, err := s.b.Stat(ctx, blobName)
	if err != nil {
		return Info{}, err
	}
	info := Info{Size: size, Recipients: make([]RecipientID, len(e.entries))}
	for i := range e.entries {
		info.Recipients[i] = e.entries[i].id
	}
	return info, nil
}
