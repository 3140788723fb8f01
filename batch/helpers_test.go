package batch_test

import (
	"io"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/vc"
	"github.com/zeebo/blake3"
)

type vcAction = vc.Action

var abandon = batch.Abandon

// newDetRand returns a deterministic byte stream (BLAKE3 XOF of seed), for
// keys that must be the same in every run.
func newDetRand(seed []byte) io.Reader {
	h := blake3.New()
	h.Write(seed)
	return h.Digest()
}
