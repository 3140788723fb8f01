package tlog

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/iotrust/iotrust/internal/edkey"
	f_log "github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/fsck"
	"golang.org/x/mod/sumdb/note"
)

// MaxCheckpointLen bounds a signed checkpoint, with room for the
// cosignatures of a dozen witnesses.
const MaxCheckpointLen = 8192

// Errors about checkpoints and keys.
var (
	// ErrBadCheckpoint is returned for a checkpoint that is malformed, too
	// large, of another log or not signed by the log's key.
	ErrBadCheckpoint = errors.New("tlog: bad checkpoint")
	// ErrInconsistent is returned when a newer checkpoint does not extend an
	// older one: the log's history was rewritten (or forked).
	ErrInconsistent = errors.New("tlog: checkpoints are inconsistent, history was rewritten")
	// ErrStale is returned for a checkpoint of fewer entries than one
	// verified before. It is not by itself evidence of a rewrite: a cache
	// or a mirror may serve an old checkpoint (ask again later); a log
	// that lost or removed entries looks the same until it serves a
	// checkpoint of at least the remembered size, which then fails with
	// ErrInconsistent.
	ErrStale = errors.New("tlog: checkpoint older than one seen before")
	// ErrBadKey is returned for an unusable log key or origin.
	ErrBadKey = errors.New("tlog: bad log key")
)

// Checkpoint is a verified C2SP checkpoint (c2sp.org/tlog-checkpoint): the
// log's origin, its size and the RFC 6962 root of its first Size entries,
// as signed by the log.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   [32]byte
	// Raw is the signed note the checkpoint was parsed from.
	Raw []byte
	// WitnessedBy is set when a Verifier that requires witnesses parsed
	// the checkpoint and their cosignatures carry times
	// (c2sp.org/tlog-cosignature): the quorum-th earliest of those times,
	// in UTC. Unless a quorum of witnesses lied, the log held this tree, and
	// every entry in it, no later than WitnessedBy. Zero otherwise.
	WitnessedBy time.Time
}

// NewEd25519Signer returns the checkpoint signer and verifier of a log
// named origin with an Ed25519 private key. origin is the log's identity in
// every checkpoint, conventionally "<domain>/<path>", e.g.
// "example.com/iotrust/anchors"; it must be valid UTF-8 without spaces or
// "+".
func NewEd25519Signer(origin string, key ed25519.PrivateKey) (note.Signer, note.Verifier, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, nil, fmt.Errorf("%w: Ed25519 private key of %d bytes", ErrBadKey, len(key))
	}
	return NewSigner(origin, key)
}

// NewSigner returns the checkpoint signer and verifier of a log named
// origin whose key is any crypto.Signer with an Ed25519 public key: the
// key behind the operator's did:key (did.CryptoSigner), or one held in an
// HSM or KMS, without the private key leaving it.
func NewSigner(origin string, key crypto.Signer) (note.Signer, note.Verifier, error) {
	if key == nil {
		return nil, nil, fmt.Errorf("%w: nil key", ErrBadKey)
	}
	pub, ok := key.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, nil, fmt.Errorf("%w: public key %T is not Ed25519", ErrBadKey, key.Public())
	}
	v, err := NewEd25519Verifier(origin, pub)
	if err != nil {
		return nil, nil, err
	}
	return &noteSigner{name: origin, hash: v.KeyHash(), key: key}, v, nil
}

// NewEd25519Verifier returns the checkpoint verifier of the log named
// origin with Ed25519 public key pub, e.g. resolved from the operator's
// did:key: all an auditor needs to check receipts offline.
func NewEd25519Verifier(origin string, pub ed25519.PublicKey) (note.Verifier, error) {
	if err := validOrigin(origin); err != nil {
		return nil, err
	}
	if err := edkey.Check(pub); err != nil {
		return nil, fmt.Errorf("%w: weak or invalid key: %w", ErrBadKey, err)
	}
	vkey, err := note.NewEd25519VerifierKey(origin, pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	return keyedVerifier{Verifier: v, key: vkey}, nil
}

// NewVerifierFromKey returns the Verifier of the log whose verifier key
// (Log.VerifierKey) is vkey: the note verifier key form
// "<origin>+<key hash>+<base64 of 0x01 and the Ed25519 public key>",
// the one string an auditor needs. Keys of other algorithms, a key hash
// that does not match, and an origin NewEd25519Verifier would refuse
// give ErrBadKey.
func NewVerifierFromKey(vkey string) (*Verifier, error) {
	nv, err := note.NewVerifier(vkey) // Ed25519 only, checks the key hash
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	if err := validOrigin(nv.Name()); err != nil {
		return nil, err
	}
	if err := checkVerifierKey(vkey); err != nil {
		return nil, err
	}
	return NewVerifier(keyedVerifier{Verifier: nv, key: vkey})
}

// checkVerifierKey refuses a note verifier key whose Ed25519 public key
// is weak (small order or non-canonical): under such a key one signature
// verifies on every checkpoint, so anyone could sign for the log.
func checkVerifierKey(vkey string) error {
	// "<name>+<hash>+<base64>": names hold no '+', base64 may.
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return fmt.Errorf("%w: not a note verifier key", ErrBadKey)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		return fmt.Errorf("%w: not an Ed25519 note verifier key", ErrBadKey)
	}
	if err := edkey.Check(raw[1:]); err != nil {
		return fmt.Errorf("%w: weak or invalid key: %w", ErrBadKey, err)
	}
	return nil
}

// keyedVerifier is a note.Verifier that knows its verifier key.
type keyedVerifier struct {
	note.Verifier
	key string
}

// String returns the verifier key.
func (v keyedVerifier) String() string { return v.key }

// verifierKey returns the verifier key of v if v states one (String)
// that names v's origin and key hash, or "".
func verifierKey(v note.Verifier) string {
	s, ok := v.(fmt.Stringer)
	if !ok {
		return ""
	}
	nv, err := note.NewVerifier(s.String())
	if err != nil || nv.Name() != v.Name() || nv.KeyHash() != v.KeyHash() {
		return ""
	}
	return s.String()
}

// noteSigner makes C2SP note signatures (plain Ed25519 over the note
// text) with a crypto.Signer.
type noteSigner struct {
	name string
	hash uint32
	key  crypto.Signer
}

func (s *noteSigner) Name() string    { return s.name }
func (s *noteSigner) KeyHash() uint32 { return s.hash }
func (s *noteSigner) Sign(msg []byte) ([]byte, error) {
	return s.key.Sign(nil, msg, crypto.Hash(0)) // Ed25519 signs the message itself
}

func validOrigin(origin string) error {
	if origin == "" || !utf8.ValidString(origin) || strings.ContainsRune(origin, '+') || strings.IndexFunc(origin, unicode.IsSpace) >= 0 {
		return fmt.Errorf("%w: origin %q must be non-empty UTF-8 without spaces or '+'", ErrBadKey, origin)
	}
	return nil
}

// Verifier checks a log's checkpoints and receipts offline, from nothing
// but the log's public key (and, optionally, its witnesses' keys).
// A Verifier is safe for concurrent use.
type Verifier struct {
	log       note.Verifier
	key       string // verifier key of log, if known
	witnesses []note.Verifier
	quorum    int
}

// NewVerifier returns a Verifier for the log whose checkpoints v verifies;
// the log's origin is v.Name().
func NewVerifier(v note.Verifier) (*Verifier, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: nil verifier", ErrBadKey)
	}
	if err := validOrigin(v.Name()); err != nil {
		return nil, err
	}
	key := verifierKey(v)
	if key != "" {
		if err := checkVerifierKey(key); err != nil {
			return nil, err
		}
	}
	return &Verifier{log: v, key: key}, nil
}

// RequireWitnesses returns a copy of the Verifier that also requires
// cosignatures (c2sp.org/tlog-cosignature) from at least quorum of the
// given witnesses on every checkpoint.
func (v *Verifier) RequireWitnesses(quorum int, witnesses ...note.Verifier) (*Verifier, error) {
	if !v.usable() {
		return nil, errZeroVerifier
	}
	if quorum < 1 || quorum > len(witnesses) {
		return nil, fmt.Errorf("%w: quorum %d of %d witnesses", ErrBadKey, quorum, len(witnesses))
	}
	return &Verifier{log: v.log, key: v.key, witnesses: append([]note.Verifier(nil), witnesses...), quorum: quorum}, nil
}

// Origin returns the origin of the log the Verifier checks ("" for a
// Verifier not made by NewVerifier or NewVerifierFromKey).
func (v *Verifier) Origin() string {
	if !v.usable() {
		return ""
	}
	return v.log.Name()
}

// usable reports whether v was made by a constructor; the zero Verifier
// (and a nil one) verifies nothing.
func (v *Verifier) usable() bool { return v != nil && v.log != nil }

// errZeroVerifier is the error of every check by an unusable Verifier.
var errZeroVerifier = fmt.Errorf("%w: a Verifier not made by NewVerifier or NewVerifierFromKey", ErrBadKey)

// ParseCheckpoint verifies raw's signature by the log (and the witness
// quorum, if required) and parses it. Extension lines are refused: the
// checkpoints of this package carry none.
func (v *Verifier) ParseCheckpoint(raw []byte) (Checkpoint, error) {
	if !v.usable() {
		return Checkpoint{}, wrap(ErrBadCheckpoint, errZeroVerifier)
	}
	if len(raw) > MaxCheckpointLen {
		return Checkpoint{}, fmt.Errorf("%w: %d bytes exceeds %d", ErrBadCheckpoint, len(raw), MaxCheckpointLen)
	}
	cp, rest, n, err := f_log.ParseCheckpoint(raw, v.Origin(), v.log, v.witnesses...)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	if len(rest) != 0 {
		return Checkpoint{}, fmt.Errorf("%w: unexpected extension lines %q", ErrBadCheckpoint, rest)
	}
	if len(cp.Hash) != 32 {
		return Checkpoint{}, fmt.Errorf("%w: root of %d bytes", ErrBadCheckpoint, len(cp.Hash))
	}
	// The body must be exactly what the log signs, so that one tree state
	// has one text (no "+5" or "05" sizes).
	if !bytes.Equal([]byte(n.Text), cp.Marshal()) {
		return Checkpoint{}, fmt.Errorf("%w: non-canonical checkpoint body", ErrBadCheckpoint)
	}
	// And each signature line in its one spelling: the note format's
	// decoder takes base64 with its unused bits set, which would give one
	// checkpoint many texts.
	for _, s := range slices.Concat(n.Sigs, n.UnverifiedSigs) {
		if b, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil || base64.StdEncoding.EncodeToString(b) != s.Base64 {
			return Checkpoint{}, fmt.Errorf("%w: signature line of %q not in canonical base64", ErrBadCheckpoint, s.Name)
		}
	}
	c := Checkpoint{Origin: cp.Origin, Size: cp.Size, Raw: append([]byte(nil), raw...)}
	copy(c.Root[:], cp.Hash)
	if v.quorum > 0 {
		seen := map[uint32]bool{}
		var times []time.Time
		for _, s := range n.Sigs { // all verified by note.Open
			for _, w := range v.witnesses {
				if s.Name != w.Name() || s.Hash != w.KeyHash() || seen[s.Hash] {
					continue
				}
				seen[s.Hash] = true
				if t, err := fnote.CoSigV1Timestamp(s); err == nil {
					times = append(times, t.UTC())
				}
			}
		}
		if len(seen) < v.quorum {
			return Checkpoint{}, fmt.Errorf("%w: %d witness cosignatures, need %d", ErrBadCheckpoint, len(seen), v.quorum)
		}
		if len(times) >= v.quorum {
			slices.SortFunc(times, time.Time.Compare)
			c.WitnessedBy = times[v.quorum-1]
		}
	}
	return c, nil
}

// VerifyConsistency checks that newer extends older: a consistency proof
// (RFC 6962 section 2.1.2) from older.Size to newer.Size. It returns an
// error matching ErrInconsistent when the log rewrote its history, and
// ErrStale when newer has fewer entries than older. Checkpoints must come
// from ParseCheckpoint (signatures verified).
func VerifyConsistency(older, newer Checkpoint, consistency [][]byte) error {
	if older.Origin != newer.Origin {
		return fmt.Errorf("%w: origins %q and %q", ErrInconsistent, older.Origin, newer.Origin)
	}
	if newer.Size < older.Size {
		return fmt.Errorf("%w: %d entries, %d seen before", ErrStale, newer.Size, older.Size)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, older.Size, newer.Size, consistency, older.Root[:], newer.Root[:]); err != nil {
		return fmt.Errorf("%w: from size %d to %d: %w", ErrInconsistent, older.Size, newer.Size, err)
	}
	return nil
}

// Tracker is a client's memory of a log: the latest checkpoint it has
// verified. It accepts a newer checkpoint only with a consistency proof
// from the one it remembers, so once it has seen a state of the log, no
// rewrite of that history gets past it. It is safe for concurrent use.
type Tracker struct {
	v      *Verifier
	mu     sync.Mutex
	latest Checkpoint
}

// NewTracker returns a Tracker that starts from the signed checkpoint raw
// (trust on first use, or a checkpoint obtained from a witness).
func NewTracker(v *Verifier, raw []byte) (*Tracker, error) {
	cp, err := v.ParseCheckpoint(raw)
	if err != nil {
		return nil, err
	}
	return &Tracker{v: v, latest: cp}, nil
}

// Latest returns the checkpoint the Tracker trusts now.
func (t *Tracker) Latest() Checkpoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.latest
}

// Update verifies the signed checkpoint raw and its consistency with the
// remembered one (consistency is the proof from Latest().Size to the new
// size, e.g. from Log.ConsistencyProof), and remembers it. A checkpoint
// of the remembered size must have the remembered root (two roots for one
// size are a fork: ErrInconsistent), and a smaller one is refused with
// ErrStale, also when it is a prefix of the remembered tree: a Tracker
// never goes back. On error nothing changes.
func (t *Tracker) Update(raw []byte, consistency [][]byte) (Checkpoint, error) {
	cp, err := t.v.ParseCheckpoint(raw)
	if err != nil {
		return Checkpoint{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := VerifyConsistency(t.latest, cp, consistency); err != nil {
		return Checkpoint{}, err
	}
	t.latest = cp
	return cp, nil
}

// Check verifies a POSIX log directory end to end with Tessera's fsck:
// it re-derives every leaf hash from the entry bundles and every tile from
// the leaves, and compares the root with the signed checkpoint. Unlike
// Open, which trusts entries it verified before, Check reads everything.
func Check(ctx context.Context, dir string, v *Verifier) error {
	if !v.usable() {
		return errZeroVerifier
	}
	f := fsck.New(v.Origin(), v.log, client.FileFetcher{Root: dir}, bundleLeafHashes, fsck.Opts{N: 2})
	if err := f.Check(ctx); err != nil {
		return storageErr(false, err, "fsck")
	}
	return nil
}

func bundleLeafHashes(bundle []byte) ([][]byte, error) {
	var b api.EntryBundle
	if err := b.UnmarshalText(bundle); err != nil {
		return nil, err
	}
	hs := make([][]byte, len(b.Entries))
	for i, e := range b.Entries {
		h := leafHash(e)
		hs[i] = h[:]
	}
	return hs, nil
}
