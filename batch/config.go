package batch

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// Authorizer decides whether a device may act on a topic; *vc.Authorizer
// implements it. A Gateway asks it for vc.ActionPublish on every reading's
// topic.
type Authorizer interface {
	Authorize(ctx context.Context, subject string, action vc.Action, topic string) error
}

// Defaults of Config's zero fields.
const (
	DefaultMaxBatch      = 4096
	DefaultWindow        = 10 * time.Second
	DefaultReorderWindow = 64
	DefaultMaxClockDrift = 5 * time.Minute
	DefaultMaxAge        = 7 * 24 * time.Hour
	DefaultMaxBacklog    = 64
	DefaultDeviceWindows = 65536
)

// Config configures a Gateway. Dir, Topic, Store, Identity and Ledgers are
// required; every other zero field takes the default named in its comment.
type Config struct {
	// Dir holds the gateway's write-ahead log segments and its index. One
	// Gateway at a time may use a Dir (a file lock enforces it).
	Dir string
	// Topic names the stream the gateway's batch commitments belong to
	// (anchor.ValidateTopic's syntax), e.g. "coldchain/shipment-42".
	Topic string
	// Keys resolves device keys (default: did.NewKeyCache(4096, nil, 0),
	// which admits any did:key or did:jwk device and remembers its key).
	// Put a did.Registry in front (did.NewKeyCache(n, registry, ttl)) so
	// that revoked and rotated-out keys are refused within ttl.
	Keys did.KeyResolver
	// Authorizer, if set, must allow vc.ActionPublish on a reading's topic
	// for its device; nil admits every topic.
	Authorizer Authorizer
	// Store keeps each sealed batch encrypted; Identity is the gateway's
	// own store identity (batches are sealed to it, and evidence is served
	// by reading them back). Recipients are further parties every batch is
	// sealed to (an auditor, a data owner).
	Store      *store.Store
	Identity   store.Identity
	Recipients []store.Recipient
	// Ledgers anchor every batch commitment; Policy says how many must
	// (default anchor.All()). Anchoring runs in the background and is
	// retried until the policy is met. Receipts are recorded by their
	// ledger's index here, so Ledgers must keep its order across restarts.
	//
	// The gateway follows each receipt until it is settled. A ledger that
	// implements anchor.Ledger is followed until its receipt is Final
	// (WaitFinal). Any other Anchorer cannot be asked about a receipt
	// again: its Pending receipts are anchored again (Anchor is
	// idempotent) until they are Included, and an Included receipt is
	// then as settled as the gateway can learn; it is kept as the ledger
	// gave it, never labelled Final, and its batch is settled
	// (BatchInfo.Settled) rather than final. A settled or final batch is
	// never followed again, also across restarts; a receipt of a ledger
	// Ledgers no longer has is kept as it is, and its batch is followed
	// again at every Open.
	Ledgers []anchor.Anchorer
	Policy  anchor.Policy
	// Hasher builds the batch Merkle trees (default merkle.BLAKE3).
	Hasher merkle.Hasher
	// MaxBatch seals a batch at this many readings (default 4096, at most
	// MaxBatchSize/2), or earlier when its readings' bytes reach the
	// Store's MaxBlobSize (see SubmitBatch); Window seals a non-empty batch
	// this long after its first reading (default 10 s).
	MaxBatch int
	Window   time.Duration
	// ReorderWindow is how far below a device's highest accepted sequence
	// number a reading may still arrive (default 64, at most 1024).
	ReorderWindow int
	// DeviceWindows bounds how many devices' anti-replay windows (highest
	// sequence number and the reorder bitmap) are kept in memory (default
	// 65,536). Beyond it, devices whose readings are all sealed leave
	// memory; a device's window is read back from the gateway's index at
	// its next reading, so replays stay refused across evictions and
	// restarts. Devices with readings not yet sealed stay, so the bound
	// may be exceeded by those while batches are sealed.
	DeviceWindows int
	// MaxClockDrift bounds how far in the future a reading's time may be
	// (default 5 min); MaxAge how far in the past (default 7 days).
	MaxClockDrift time.Duration
	MaxAge        time.Duration
	// MaxBacklog is how many sealed batches may wait for their anchor
	// before Submit refuses with ErrOverloaded (default 64).
	MaxBacklog int
	// Now is the gateway's clock (default time.Now).
	Now func() time.Time
	// Logger receives operational messages (default: discarded).
	Logger *slog.Logger
}

func (c *Config) setDefaults() error {
	switch {
	case c.Dir == "":
		return fmt.Errorf("%w: Dir is required", ErrConfig)
	case c.Store == nil:
		return fmt.Errorf("%w: Store is required", ErrConfig)
	case c.Identity.Recipient() == (store.Recipient{}):
		return fmt.Errorf("%w: Identity is required", ErrConfig)
	case len(c.Ledgers) == 0:
		return fmt.Errorf("%w: at least one ledger is required", ErrConfig)
	}
	if err := anchor.ValidateTopic(c.Topic); err != nil {
		return fmt.Errorf("%w: Topic: %w", ErrConfig, err)
	}
	if c.Keys == nil {
		c.Keys = did.NewKeyCache(4096, nil, 0)
	}
	if c.Hasher == 0 {
		c.Hasher = merkle.BLAKE3
	}
	if c.Hasher != merkle.BLAKE3 && c.Hasher != merkle.SHA256 {
		return fmt.Errorf("%w: unknown hasher %d", ErrConfig, c.Hasher)
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.MaxBatch < 1 || c.MaxBatch > MaxBatchSize/2 {
		return fmt.Errorf("%w: MaxBatch %d not in [1, %d]", ErrConfig, c.MaxBatch, MaxBatchSize/2)
	}
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Window < 0 {
		return fmt.Errorf("%w: negative Window", ErrConfig)
	}
	if c.ReorderWindow == 0 {
		c.ReorderWindow = DefaultReorderWindow
	}
	if c.ReorderWindow < 1 || c.ReorderWindow > maxReorder {
		return fmt.Errorf("%w: ReorderWindow %d not in [1, %d]", ErrConfig, c.ReorderWindow, maxReorder)
	}
	if c.DeviceWindows == 0 {
		c.DeviceWindows = DefaultDeviceWindows
	}
	if c.DeviceWindows < 1 {
		return fmt.Errorf("%w: DeviceWindows %d below 1", ErrConfig, c.DeviceWindows)
	}
	if c.MaxClockDrift == 0 {
		c.MaxClockDrift = DefaultMaxClockDrift
	}
	if c.MaxAge == 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.MaxClockDrift < 0 || c.MaxAge < 0 {
		return fmt.Errorf("%w: negative clock bound", ErrConfig)
	}
	if c.MaxBacklog == 0 {
		c.MaxBacklog = DefaultMaxBacklog
	}
	if c.MaxBacklog < 1 {
		return fmt.Errorf("%w: MaxBacklog %d", ErrConfig, c.MaxBacklog)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}
