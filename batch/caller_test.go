package batch_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
)

// cancellingKeys resolves keys through a KeyCache and cancels a context at
// its first call: the caller gives up while its readings are verified.
type cancellingKeys struct {
	did.KeyResolver
	once   sync.Once
	cancel context.CancelFunc
}

func (c *cancellingKeys) KeyAt(ctx context.Context, d string, at time.Time) (did.PublicKey, error) {
	c.once.Do(c.cancel)
	return c.KeyResolver.KeyAt(context.WithoutCancel(ctx), d, at)
}

// TestCallerContextEndsOnlyItsCall: a caller whose context ends while its
// readings are verified gets the context's error for each of them, counted
// as ReasonCanceled; the gateway keeps accepting, and the readings did not
// spend their sequence numbers (they are accepted when sent again).
func TestCallerContextEndsOnlyItsCall(t *testing.T) {
	r := newRig(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cfg := r.config()
	cfg.Keys = &cancellingKeys{KeyResolver: did.NewKeyCache(64, nil, 0), cancel: cancel}
	g := r.open(t, cfg)
	defer g.Close(context.Background())
	d := newDevice(t, did.Ed25519, 1)
	var ss []reading.Signed
	for i := range 10 {
		ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Second), int64(400+i)))
	}
	for i, err := range g.SubmitBatch(ctx, ss) {
		if !errors.Is(err, context.Canceled) || batch.ReasonOf(err) != batch.ReasonCanceled {
			t.Fatalf("reading %d of the cancelled call: %v (reason %q)", i, err, batch.ReasonOf(err))
		}
	}
	for i, err := range g.SubmitBatch(context.Background(), ss) {
		if err != nil {
			t.Fatalf("reading %d sent again: %v", i, err)
		}
	}
	if err := g.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := g.Metrics(); m.Rejected[batch.ReasonCanceled] != 10 || m.SealedReadings != 10 {
		t.Fatalf("metrics: %+v", m)
	}
}

// TestCloseSealsEveryAcknowledgedReading: readings submitted while Close
// runs are either refused with ErrClosed or sealed by it; none is
// acknowledged and left in the write-ahead log.
func TestCloseSealsEveryAcknowledgedReading(t *testing.T) {
	for round := range 5 {
		r := newRig(t, t.TempDir())
		g := r.open(t, r.config())
		var wg sync.WaitGroup
		start := make(chan struct{})
		for n := range 8 {
			d := newDevice(t, did.Ed25519, n)
			var ss []reading.Signed
			for i := range 200 {
				ss = append(ss, d.reading(t, t0.Add(time.Duration(i)*time.Millisecond), int64(i)))
			}
			wg.Go(func() {
				<-start
				for _, s := range ss {
					if err := g.Submit(context.Background(), s); errors.Is(err, batch.ErrClosed) {
						return
					} else if err != nil {
						t.Errorf("device %d: %v", n, err)
						return
					}
				}
			})
		}
		close(start)
		for g.Metrics().Accepted < 50 {
			time.Sleep(100 * time.Microsecond)
		}
		if err := g.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if m := g.Metrics(); m.SealedReadings != m.Accepted {
			t.Fatalf("round %d: %d readings acknowledged, %d sealed by Close", round, m.Accepted, m.SealedReadings)
		}
	}
}
