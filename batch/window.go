package batch

import "fmt"

// maxReorder is the widest reorder window a Gateway accepts: the window is
// a bitmap of this many bits per device.
const maxReorder = 1024

// seqWindow is one device's anti-replay state: the highest sequence number
// accepted and which of the reorder-window numbers below it were seen. A
// sequence number is accepted once: above the highest, or within the window
// below it and not seen before.
type seqWindow struct {
	started bool
	high    uint64
	seen    [maxReorder / 64]uint64 // bit i: high-i was accepted
}

// check reports whether seq would be accepted under a window of w numbers,
// without recording it.
func (s *seqWindow) check(seq uint64, w uint64) error {
	if !s.started || seq > s.high {
		return nil
	}
	d := s.high - seq
	if d >= w {
		return fmt.Errorf("%w: sequence %d is %d behind the highest accepted (%d), beyond the reorder window of %d", ErrStale, seq, d, s.high, w)
	}
	if s.seen[d/64]&(1<<(d%64)) != 0 {
		return fmt.Errorf("%w: sequence %d", ErrReplay, seq)
	}
	return nil
}

// accept records seq, which check has passed.
func (s *seqWindow) accept(seq uint64) {
	if !s.started {
		s.started, s.high = true, seq
		s.seen = [maxReorder / 64]uint64{}
		s.seen[0] = 1
		return
	}
	if seq > s.high {
		s.shift(seq - s.high)
		s.high = seq
		s.seen[0] |= 1
		return
	}
	d := s.high - seq
	s.seen[d/64] |= 1 << (d % 64)
}

// shift moves the bitmap n places towards older numbers.
func (s *seqWindow) shift(n uint64) {
	if n >= maxReorder {
		s.seen = [maxReorder / 64]uint64{}
		return
	}
	words, nb := int(n/64), uint(n%64)
	for i := len(s.seen) - 1; i >= 0; i-- {
		var v uint64
		if j := i - words; j >= 0 {
			v = s.seen[j] << nb
			if nb > 0 && j-1 >= 0 {
				v |= s.seen[j-1] >> (64 - nb)
			}
		}
		s.seen[i] = v
	}
}
