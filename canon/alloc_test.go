package canon

import "testing"

// TaggedHasher promises TaggedSum without allocating per call.
func TestTaggedHasherDoesNotAllocate(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("instrumented builds allocate")
	}
	data := make([]byte, 100)
	for _, h := range []HashFunc{BLAKE3, SHA256} {
		th, err := NewTaggedHasher(h, "iotrust.alloc.v1")
		if err != nil {
			t.Fatal(err)
		}
		th.Sum(data) // fill the pool
		if n := testing.AllocsPerRun(100, func() { th.Sum(data) }); n != 0 {
			t.Errorf("%s: TaggedHasher.Sum allocates %.1f times per call", h, n)
		}
	}
}
