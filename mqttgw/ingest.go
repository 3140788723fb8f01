package mqttgw

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/reading"
)

// Code is an MQTT 5 reason code, as a PUBACK carries it.
type Code byte

// The PUBACK reason codes an Ingester answers with (MQTT 5.0 §3.4.2.1).
// 0x89 "server busy" is not among them: MQTT 5 allows it in CONNACK and
// DISCONNECT only, so an overloaded gateway answers a publish with
// CodeQuotaExceeded.
const (
	CodeSuccess                Code = 0x00 // acknowledged: durable in the write-ahead log
	CodeUnspecified            Code = 0x80 // gateway closing or its write-ahead log failed
	CodeImplementationSpecific Code = 0x83 // replayed, stale or clock-skewed sequence/time
	CodeNotAuthorized          Code = 0x87 // no credential grants the topic, bad signature, revoked key
	CodeTopicNameInvalid       Code = 0x90 // MQTT topic differs from the reading's signed topic
	CodeQuotaExceeded          Code = 0x97 // too many readings in flight, or anchoring backlog full
	CodePayloadFormatInvalid   Code = 0x99 // not one signed reading in JSON or deterministic CBOR
)

// CodeNoAnswer is what Device's publish methods return, with an error,
// when no PUBACK came (not signed, connection lost, ctx done): not an MQTT
// reason code, and never CodeSuccess.
const CodeNoAnswer Code = 0xFF

// String names the code as MQTT 5 does.
func (c Code) String() string {
	switch c {
	case CodeSuccess:
		return "success"
	case CodeUnspecified:
		return "unspecified error"
	case CodeImplementationSpecific:
		return "implementation specific error"
	case CodeNotAuthorized:
		return "not authorized"
	case CodeTopicNameInvalid:
		return "topic name invalid"
	case CodeQuotaExceeded:
		return "quota exceeded"
	case CodePayloadFormatInvalid:
		return "payload format invalid"
	case CodeNoAnswer:
		return "no answer"
	}
	return fmt.Sprintf("reason 0x%02x", byte(c))
}

// Errors of an Ingester, beside those of package batch that it passes on.
var (
	// ErrBusy: more readings are in flight than Config.MaxPending allows;
	// the reading is refused at once rather than queued.
	ErrBusy = errors.New("mqttgw: too many readings in flight")
	// ErrPayload: the MQTT payload is not one signed reading.
	ErrPayload = errors.New("mqttgw: payload is not a signed reading")
	// ErrTopicMismatch: the MQTT topic is not the reading's signed topic.
	ErrTopicMismatch = errors.New("mqttgw: MQTT topic differs from the reading's topic")
	// ErrNotAdmitted: the reading names another device than the one the
	// connection was admitted as.
	ErrNotAdmitted = errors.New("mqttgw: reading names another device than the connection's")
	// ErrClosed: the Ingester is closed.
	ErrClosed = errors.New("mqttgw: ingester closed")
)

// CodeOf returns the PUBACK reason code for an error of Ingester.Submit.
func CodeOf(err error) Code {
	switch {
	case err == nil:
		return CodeSuccess
	case errors.Is(err, ErrBusy), errors.Is(err, batch.ErrOverloaded):
		return CodeQuotaExceeded
	case errors.Is(err, ErrPayload):
		return CodePayloadFormatInvalid
	case errors.Is(err, ErrTopicMismatch):
		return CodeTopicNameInvalid
	case errors.Is(err, ErrNotAdmitted):
		return CodeNotAuthorized
	case errors.Is(err, ErrClosed):
		return CodeUnspecified
	}
	switch batch.ReasonOf(err) {
	case batch.ReasonMalformed, batch.ReasonTooLarge:
		return CodePayloadFormatInvalid
	case batch.ReasonSignature, batch.ReasonUnknownKey, batch.ReasonUnauthorized:
		return CodeNotAuthorized
	case batch.ReasonReplay, batch.ReasonStale, batch.ReasonClock:
		return CodeImplementationSpecific
	case batch.ReasonOverloaded:
		return CodeQuotaExceeded
	}
	return CodeUnspecified
}

// ParsePayload decodes an MQTT payload as one signed reading: JSON when its
// first byte is "{" (or JSON whitespace), deterministic CBOR otherwise (a
// CBOR reading is a map, whose first byte is never "{"). Errors wrap
// ErrPayload and the reading package's error.
func ParsePayload(p []byte) (reading.Signed, error) {
	i := 0
	for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
		i++
	}
	var s reading.Signed
	var err error
	if i < len(p) && p[i] == '{' {
		s, err = reading.ParseJSON(p)
	} else {
		s, err = reading.ParseCBOR(p)
	}
	if err != nil {
		return reading.Signed{}, fmt.Errorf("%w: %w", ErrPayload, err)
	}
	return s, nil
}

// DefaultMaxCall is Config.MaxCall's default: the most readings an
// Ingester hands to one SubmitBatch call.
const DefaultMaxCall = 256

// Config configures an Ingester.
type Config struct {
	// Gateway receives the readings (required). Its ReorderWindow needs
	// to cover only what a device itself may reorder (redeliveries after a
	// reconnect): the Ingester decides each device's readings in the order
	// they arrived (see Workers).
	Gateway *batch.Gateway
	// MaxPending bounds the readings queued or inside SubmitBatch at once
	// (default 4096); a reading beyond it is refused with ErrBusy
	// (CodeQuotaExceeded) by Submit, and waited for by SubmitWait.
	MaxPending int
	// MaxCall is the most readings handed to one SubmitBatch call
	// (default DefaultMaxCall).
	MaxCall int
	// Workers is the number of SubmitBatch calls running at once (default
	// 2 × GOMAXPROCS, so that verification on one overlaps the
	// write-ahead log's fsync of another). Each device's readings go to
	// one worker, chosen by a hash of its DID, so that they are decided
	// one call after another, in the order they arrived, never overtaking
	// each other in parallel calls.
	Workers int
	// OnAccept, if set, is called once with every reading the gateway
	// acknowledges (not again for redeliveries), before its publisher is
	// answered. It must not block.
	OnAccept func(reading.Signed)
	// Logger receives operational messages (default: discarded).
	Logger *slog.Logger
}

// Ingester turns MQTT publishes into batch submissions: it parses each
// payload, checks it against the publishing connection, queues it within a
// bound, and hands readings to the gateway in groups (SubmitBatch), so that
// many devices share one write-ahead log fsync. Each publish is answered
// exactly once, through its done callback, with CodeSuccess only after the
// gateway acknowledged the reading (durable in its write-ahead log).
// Safe for concurrent use.
type Ingester struct {
	cfg     Config
	queues  []chan *job   // one per worker; a device's readings all go to one (shard)
	seed    maphash.Seed  // of shard's hash
	room    chan struct{} // a token per reading in flight, MaxPending of them
	wg      sync.WaitGroup
	closeMu sync.RWMutex
	closed  bool
	codes   [256]atomic.Uint64
	log     *slog.Logger

	// callDone holds the functions run after each SubmitBatch call's
	// publishers were answered (a Broker's PUBACK flush).
	callDone atomic.Pointer[[]func()]
}

// onCallDone adds f to the functions each worker runs once it has
// answered the publishers of one SubmitBatch call.
func (in *Ingester) onCallDone(f func()) {
	for {
		old := in.callDone.Load()
		var fs []func()
		if old != nil {
			fs = append(fs, *old...)
		}
		fs = append(fs, f)
		if in.callDone.CompareAndSwap(old, &fs) {
			return
		}
	}
}

type job struct {
	s    reading.Signed
	done func(error)
}

// NewIngester starts an Ingester's workers on cfg.
func NewIngester(cfg Config) (*Ingester, error) {
	if cfg.Gateway == nil {
		return nil, fmt.Errorf("mqttgw: Config.Gateway is required")
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 4096
	}
	if cfg.MaxCall <= 0 {
		cfg.MaxCall = DefaultMaxCall
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	in := &Ingester{
		cfg:    cfg,
		queues: make([]chan *job, cfg.Workers),
		seed:   maphash.MakeSeed(),
		room:   make(chan struct{}, cfg.MaxPending),
		log:    logger(cfg.Logger),
	}
	for i := range in.queues {
		// Each queue has room for every pending reading (one device may
		// hold them all); pointers keep that room small.
		in.queues[i] = make(chan *job, cfg.MaxPending)
		in.wg.Add(1)
		go in.work(in.queues[i])
	}
	return in, nil
}

// shard returns the queue of device's readings, by a hash of its DID, so
// that one device's readings are always decided by the same worker.
func (in *Ingester) shard(device string) chan *job {
	return in.queues[maphash.String(in.seed, device)%uint64(len(in.queues))]
}

// Submit parses payload, published on topic by a connection admitted as
// device ("" when the connection carries no device identity, as through an
// external broker), and queues the reading without waiting for room:
// done is called exactly once, with nil once the gateway acknowledged the
// reading, or with the error that refused it (CodeOf gives its PUBACK
// code). A reading the gateway already acknowledged (an MQTT redelivery)
// is acknowledged again. done may run on the caller's goroutine.
func (in *Ingester) Submit(ctx context.Context, device, topic string, payload []byte, done func(error)) {
	in.submit(ctx, device, topic, payload, done, false)
}

// SubmitWait is Submit, but waits (until ctx is done) for room in the
// queue instead of refusing with ErrBusy: for a source that holds the
// backlog itself, such as an external broker's session.
func (in *Ingester) SubmitWait(ctx context.Context, device, topic string, payload []byte, done func(error)) {
	in.submit(ctx, device, topic, payload, done, true)
}

func (in *Ingester) submit(ctx context.Context, device, topic string, payload []byte, done func(error), wait bool) {
	finish := func(err error) {
		in.codes[CodeOf(err)].Add(1)
		done(err)
	}
	s, err := ParsePayload(payload)
	if err != nil {
		finish(err)
		return
	}
	if s.Topic != topic {
		finish(fmt.Errorf("%w: published on %q, reading's topic %q", ErrTopicMismatch, trunc(topic), s.Topic))
		return
	}
	if device != "" && s.Device != device {
		finish(fmt.Errorf("%w: connection %q, reading %q", ErrNotAdmitted, trunc(device), trunc(s.Device)))
		return
	}
	in.closeMu.RLock()
	defer in.closeMu.RUnlock()
	if in.closed {
		finish(ErrClosed)
		return
	}
	if wait {
		select {
		case in.room <- struct{}{}:
		case <-ctx.Done():
			finish(fmt.Errorf("%w: %w", ErrBusy, ctx.Err()))
			return
		}
	} else {
		select {
		case in.room <- struct{}{}:
		default:
			finish(fmt.Errorf("%w: %d readings pending", ErrBusy, in.cfg.MaxPending))
			return
		}
	}
	in.shard(s.Device) <- &job{s: s, done: finish} // never blocks: room holds a token for it
}

// Pending returns the number of readings queued or being submitted.
func (in *Ingester) Pending() int { return len(in.room) }

// Answered returns how many publishes were answered with each reason code.
func (in *Ingester) Answered() map[Code]uint64 {
	out := map[Code]uint64{}
	for i := range in.codes {
		if n := in.codes[i].Load(); n > 0 {
			out[Code(i)] = n
		}
	}
	return out
}

// Close stops taking readings (Submit answers ErrClosed), waits for the
// queued ones to be submitted and answered, and returns. It does not close
// the Gateway.
func (in *Ingester) Close() {
	in.closeMu.Lock()
	if in.closed {
		in.closeMu.Unlock()
		return
	}
	in.closed = true
	for _, q := range in.queues {
		close(q)
	}
	in.closeMu.Unlock()
	in.wg.Wait()
}

// work decides the readings of one queue, in calls of up to MaxCall,
// one call at a time.
func (in *Ingester) work(queue chan *job) {
	defer in.wg.Done()
	jobs := make([]*job, 0, in.cfg.MaxCall)
	ss := make([]reading.Signed, 0, in.cfg.MaxCall)
	for j := range queue {
		jobs = append(jobs[:0], j)
	fill:
		for len(jobs) < in.cfg.MaxCall {
			select {
			case j, ok := <-queue:
				if !ok {
					break fill
				}
				jobs = append(jobs, j)
			default:
				break fill
			}
		}
		ss = ss[:0]
		for _, j := range jobs {
			ss = append(ss, j.s)
		}
		// The gateway's acknowledgement does not depend on the publisher
		// staying connected: a reading taken in is decided.
		errs := in.cfg.Gateway.SubmitBatch(context.Background(), ss)
		for i, j := range jobs {
			err := errs[i]
			if err == nil && in.cfg.OnAccept != nil {
				in.cfg.OnAccept(j.s)
			}
			if (errors.Is(err, batch.ErrReplay) || errors.Is(err, batch.ErrStale)) && in.known(j.s) {
				err = nil // a redelivery of an acknowledged reading
			}
			<-in.room
			j.done(err)
		}
		if fs := in.callDone.Load(); fs != nil {
			for _, f := range *fs {
				f()
			}
		}
		clear(jobs)
		clear(ss)
	}
}

// known reports whether the gateway acknowledged s before (same ID, so
// the same content).
func (in *Ingester) known(s reading.Signed) bool {
	id, err := s.ID()
	if err != nil {
		return false
	}
	// Only ErrNotFound says the gateway never acknowledged it; a bundle
	// that cannot be built yet (a batch not sealed or not anchored) is of
	// a reading it holds.
	_, err = in.cfg.Gateway.Evidence(context.Background(), id)
	return !errors.Is(err, batch.ErrNotFound)
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// trunc shortens untrusted text for error messages.
func trunc(s string) string {
	if len(s) > 96 {
		return s[:96] + "…"
	}
	return s
}
