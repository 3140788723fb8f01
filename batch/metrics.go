package batch

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Reason names why a reading was rejected; Metrics counts rejections per
// Reason, and ReasonOf maps an error of Submit to its Reason.
type Reason string

// Rejection reasons.
const (
	ReasonMalformed    Reason = "malformed"    // undecodable or invalid reading
	ReasonTooLarge     Reason = "too_large"    // beyond the size limits
	ReasonSignature    Reason = "signature"    // signature does not verify
	ReasonUnknownKey   Reason = "unknown_key"  // DID unknown, key revoked or rotated out
	ReasonReplay       Reason = "replay"       // sequence number seen before
	ReasonStale        Reason = "stale"        // sequence number behind the reorder window
	ReasonClock        Reason = "clock"        // timestamp beyond the clock-drift bound
	ReasonUnauthorized Reason = "unauthorized" // no right to publish on the topic
	ReasonOverloaded   Reason = "overloaded"   // anchoring backlog full
	ReasonUnavailable  Reason = "unavailable"  // gateway closed or write-ahead log failed
	ReasonCanceled     Reason = "canceled"     // the caller's context ended first
)

// Reasons lists every Reason, in a fixed order.
func Reasons() []Reason {
	return []Reason{ReasonMalformed, ReasonTooLarge, ReasonSignature, ReasonUnknownKey, ReasonReplay,
		ReasonStale, ReasonClock, ReasonUnauthorized, ReasonOverloaded, ReasonUnavailable, ReasonCanceled}
}

// Histogram is a snapshot of a latency distribution: Counts[i] readings
// took at most Bounds[i] (and more than Bounds[i-1]); the last count is
// those above every bound. Sum is the total in seconds.
type Histogram struct {
	Bounds []time.Duration
	Counts []uint64
	Count  uint64
	Sum    time.Duration
}

// Quantile returns an upper bound of the q-quantile (0 < q ≤ 1): the
// smallest bucket bound at or below which a fraction q of observations
// fall, or the largest bound when they lie above every bound.
func (h Histogram) Quantile(q float64) time.Duration {
	if h.Count == 0 || len(h.Bounds) == 0 {
		return 0
	}
	want := uint64(math.Ceil(q * float64(h.Count)))
	var seen uint64
	for i, c := range h.Counts {
		seen += c
		if seen >= want {
			if i < len(h.Bounds) {
				return h.Bounds[i]
			}
			break
		}
	}
	return h.Bounds[len(h.Bounds)-1]
}

// Metrics is a snapshot of a Gateway's counters, for export to a
// monitoring system (the gateway service exports them to Prometheus).
type Metrics struct {
	Accepted       uint64            // readings acknowledged
	Rejected       map[Reason]uint64 // readings refused, by reason
	Sealed         uint64            // batches sealed
	SealedReadings uint64            // readings in sealed batches
	Anchored       uint64            // batches anchored (at least Included)
	Final          uint64            // batches whose receipts are Final
	// Settled counts batches settled without every receipt Final: the
	// receipts not Final are Included ones of ledgers the gateway cannot
	// follow (see BatchInfo.Settled). Final batches are not counted.
	Settled      uint64
	AnchorErrors uint64 // failed anchoring attempts (retried)
	Open         int    // readings acknowledged, not yet sealed
	Backlog      int    // batches sealed, not yet anchored
	// DeviceWindows is how many devices' anti-replay windows are in
	// memory (see Config.DeviceWindows).
	DeviceWindows int
	SubmitLatency Histogram // Submit call to acknowledgement
	AnchorLatency Histogram // seal to anchored receipt
	// Recovered is how many batches this Gateway's Open took up from
	// earlier runs: sealed but not anchored, or anchored but not settled.
	// Settled and final batches are never taken up again, so it does not
	// grow with the gateway's history of them. (Readings Open finds in the
	// write-ahead log are sealed as new batches, counted in Sealed.)
	Recovered int
}

// latencyBounds are the histogram buckets: 50 µs to about 100 s.
func latencyBounds() []time.Duration {
	b := make([]time.Duration, 0, 22)
	for d := 50 * time.Microsecond; d <= 110*time.Second; d *= 2 {
		b = append(b, d)
	}
	return b
}

// histogram is a concurrent fixed-bucket latency histogram.
type histogram struct {
	bounds []time.Duration
	counts []atomic.Uint64
	count  atomic.Uint64
	sum    atomic.Int64
}

func newHistogram() *histogram {
	b := latencyBounds()
	return &histogram{bounds: b, counts: make([]atomic.Uint64, len(b)+1)}
}

func (h *histogram) observe(d time.Duration, n uint64) {
	i := 0
	for i < len(h.bounds) && d > h.bounds[i] {
		i++
	}
	h.counts[i].Add(n)
	h.count.Add(n)
	h.sum.Add(int64(d) * int64(n))
}

func (h *histogram) snapshot() Histogram {
	s := Histogram{Bounds: append([]time.Duration(nil), h.bounds...), Counts: make([]uint64, len(h.counts))}
	for i := range h.counts {
		s.Counts[i] = h.counts[i].Load()
	}
	s.Count = h.count.Load()
	s.Sum = time.Duration(h.sum.Load())
	return s
}

// counters are the live metrics behind Metrics.
type counters struct {
	accepted, sealed, sealedReadings, anchored, final, settled, anchorErrors atomic.Uint64
	mu                                                                       sync.Mutex
	rejected                                                                 map[Reason]uint64
	submit, anchor                                                           *histogram
}

func newCounters() *counters {
	return &counters{rejected: map[Reason]uint64{}, submit: newHistogram(), anchor: newHistogram()}
}

func (c *counters) reject(r Reason, n uint64) {
	c.mu.Lock()
	c.rejected[r] += n
	c.mu.Unlock()
}
