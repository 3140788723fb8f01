package anchor_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	lblake3 "lukechampine.com/blake3"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/canon"
)

// vectorCommitment is the commitment of the encoding vector below.
func vectorCommitment(t testing.TB) anchor.Commitment {
	t.Helper()
	var sum [32]byte
	for i := range sum {
		sum[i] = byte(i + 1)
	}
	root, err := anchor.NewRoot(canon.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	id, err := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	if err != nil {
		t.Fatal(err)
	}
	return anchor.Commitment{
		Root:        root,
		CID:         id,
		WindowStart: time.Unix(1767225600, 5).UTC(), // 2026-01-01T00:00:00.000000005Z
		WindowEnd:   time.Unix(1767225660, 0).UTC(),
		Count:       1000,
		Topic:       "coldchain/truck-7/temp",
		Metadata:    []byte{0xca, 0xfe},
	}
}

// TestEncodingVector builds the expected encoding field by field from the
// layout documented on MarshalBinary, independently of the encoder, and
// cross-checks the ID with an independent BLAKE3 implementation.
func TestEncodingVector(t *testing.T) {
	c := vectorCommitment(t)
	var want []byte
	want = append(want, 0x01)             // version
	want = append(want, 34, 0x12, 0x20)   // multihash length; sha2-256; 32 bytes
	want = append(want, c.Root.Sum[:]...) // digest
	want = append(want, byte(len(c.CID.Bytes())))
	want = append(want, c.CID.Bytes()...)
	want = binary.BigEndian.AppendUint64(want, 1767225600_000000005)
	want = binary.BigEndian.AppendUint64(want, 1767225660_000000000)
	want = binary.BigEndian.AppendUint64(want, 1000)
	want = append(want, 22)
	want = append(want, "coldchain/truck-7/temp"...)
	want = append(want, 0, 2, 0xca, 0xfe)

	got, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
	if len(c.CID.Bytes()) != 36 {
		t.Fatalf("CIDv1 raw sha2-256 is %d bytes, want 36", len(c.CID.Bytes()))
	}

	id, err := c.ID()
	if err != nil {
		t.Fatal(err)
	}
	var ref [32]byte
	lblake3.DeriveKey(ref[:], string(anchor.CommitmentTag), want)
	if id.Func != canon.BLAKE3 || id.Sum != ref {
		t.Fatalf("ID %s, independent BLAKE3 derive-key gives %x", id, ref)
	}

	back, err := anchor.DecodeCommitment(got)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(c) || back.WindowStart.Location() != time.UTC || back.WindowStart.Nanosecond() != 5 {
		t.Fatalf("decoded %+v, want %+v", back, c)
	}
}

func TestValidate(t *testing.T) {
	good := vectorCommitment(t)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	longTopic := strings.Repeat("a", anchor.MaxTopicLen)
	for _, tc := range []struct {
		name   string
		edit   func(*anchor.Commitment)
		reason error // nil: valid
	}{
		{"longest topic", func(c *anchor.Commitment) { c.Topic = longTopic }, nil},
		{"every topic character", func(c *anchor.Commitment) { c.Topic = "aZ09-._~/:" }, nil},
		{"largest metadata", func(c *anchor.Commitment) { c.Metadata = make([]byte, anchor.MaxMetadataLen) }, nil},
		{"empty window", func(c *anchor.Commitment) { c.WindowEnd = c.WindowStart }, nil},
		{"epoch", func(c *anchor.Commitment) { c.WindowStart = time.Unix(0, 0) }, nil},
		{"zero root", func(c *anchor.Commitment) { c.Root = canon.Digest{} }, anchor.ErrBadRoot},
		{"all-zero root", func(c *anchor.Commitment) { c.Root.Sum = [32]byte{} }, anchor.ErrBadRoot},
		{"unknown hash", func(c *anchor.Commitment) { c.Root.Func = 7 }, anchor.ErrBadRoot},
		{"undefined cid", func(c *anchor.Commitment) { c.CID = cid.Undef }, anchor.ErrBadCID},
		{"end before start", func(c *anchor.Commitment) { c.WindowEnd = c.WindowStart.Add(-1) }, anchor.ErrBadWindow},
		{"zero start", func(c *anchor.Commitment) { c.WindowStart = time.Time{} }, anchor.ErrBadWindow},
		{"before 1970", func(c *anchor.Commitment) { c.WindowStart = time.Unix(-1, 0) }, anchor.ErrBadWindow},
		{"after 2262", func(c *anchor.Commitment) { c.WindowEnd = time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC) }, anchor.ErrBadWindow},
		{"zero count", func(c *anchor.Commitment) { c.Count = 0 }, anchor.ErrZeroCount},
		{"empty topic", func(c *anchor.Commitment) { c.Topic = "" }, anchor.ErrBadTopic},
		{"long topic", func(c *anchor.Commitment) { c.Topic = longTopic + "a" }, anchor.ErrBadTopic},
		{"mqtt wildcard", func(c *anchor.Commitment) { c.Topic = "a/#" }, anchor.ErrBadTopic},
		{"non-ascii topic", func(c *anchor.Commitment) { c.Topic = "température" }, anchor.ErrBadTopic},
		{"nul in topic", func(c *anchor.Commitment) { c.Topic = "a\x00" }, anchor.ErrBadTopic},
		{"metadata", func(c *anchor.Commitment) { c.Metadata = make([]byte, anchor.MaxMetadataLen+1) }, anchor.ErrMetadataTooLarge},
	} {
		c := good
		tc.edit(&c)
		err := c.Validate()
		if tc.reason == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, anchor.ErrInvalidCommitment) || !errors.Is(err, tc.reason) {
			t.Errorf("%s: %v, want ErrInvalidCommitment and %v", tc.name, err, tc.reason)
		}
		if _, err := c.MarshalBinary(); err == nil {
			t.Errorf("%s: MarshalBinary accepted an invalid commitment", tc.name)
		}
		if _, err := c.ID(); err == nil {
			t.Errorf("%s: ID of an invalid commitment", tc.name)
		}
	}
}

func TestNewRoot(t *testing.T) {
	if _, err := anchor.NewRoot(canon.BLAKE3, make([]byte, 31)); !errors.Is(err, anchor.ErrBadRoot) {
		t.Errorf("31-byte root: %v", err)
	}
	if _, err := anchor.NewRoot(canon.SHA256, make([]byte, 33)); !errors.Is(err, anchor.ErrBadRoot) {
		t.Errorf("33-byte root: %v", err)
	}
	if _, err := anchor.NewRoot(canon.SHA256, make([]byte, 32)); !errors.Is(err, anchor.ErrBadRoot) {
		t.Errorf("all-zero root: %v", err)
	}
}

// TestDecodeRejects flips, truncates and extends the vector's encoding.
func TestDecodeRejects(t *testing.T) {
	c := vectorCommitment(t)
	enc, _ := c.MarshalBinary()
	cases := map[string]struct {
		b      []byte
		reason error
	}{
		"empty":       {nil, anchor.ErrBadEncoding},
		"version 2":   {append([]byte{2}, enc[1:]...), anchor.ErrBadEncoding},
		"trailing":    {append(append([]byte{}, enc...), 0), anchor.ErrBadEncoding},
		"truncated":   {enc[:len(enc)-1], anchor.ErrBadEncoding},
		"31-byte mh":  {append(append([]byte{1, 33, 0x12, 0x1f}, c.Root.Sum[:31]...), enc[36:]...), anchor.ErrBadRoot},
		"unknown mh":  {append([]byte{1, 34, 0x13}, enc[3:]...), anchor.ErrBadRoot},
		"zero count":  {bytes.Replace(enc, binary.BigEndian.AppendUint64(nil, 1000), make([]byte, 8), 1), anchor.ErrZeroCount},
		"bad topic":   {bytes.Replace(enc, []byte("truck-7"), []byte("truck 7"), 1), anchor.ErrBadTopic},
		"end < start": {bytes.Replace(enc, binary.BigEndian.AppendUint64(nil, 1767225660_000000000), make([]byte, 8), 1), anchor.ErrBadWindow},
		"huge":        {make([]byte, anchor.MaxEncodedLen+1), anchor.ErrBadEncoding},
	}
	for name, tc := range cases {
		_, err := anchor.DecodeCommitment(tc.b)
		if !errors.Is(err, anchor.ErrInvalidCommitment) || !errors.Is(err, tc.reason) {
			t.Errorf("%s: %v, want %v", name, err, tc.reason)
		}
	}
}

func TestJSON(t *testing.T) {
	c := vectorCommitment(t)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"root":"sha256:0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",` +
		`"cid":"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",` +
		`"windowStart":"2026-01-01T00:00:00.000000005Z","windowEnd":"2026-01-01T00:01:00Z",` +
		`"count":1000,"topic":"coldchain/truck-7/temp","metadata":"yv4="}`
	if string(b) != want {
		t.Fatalf("JSON\n got %s\nwant %s", b, want)
	}
	var back anchor.Commitment
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(c) {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	bad := strings.Replace(want, `"count":1000`, `"count":0`, 1)
	if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, anchor.ErrZeroCount) {
		t.Errorf("JSON with count 0: %v", err)
	}

	r := anchor.Receipt{Ledger: "tlog", Chain: "example.com/log", Commitment: c, Position: 7,
		TxID: "ab", Time: c.WindowEnd, State: anchor.Included, Proof: []byte{1, 2}}
	rb, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rb), `"state":"included"`) {
		t.Errorf("receipt JSON %s does not name its state", rb)
	}
	var rback anchor.Receipt
	if err := json.Unmarshal(rb, &rback); err != nil || !rback.Commitment.Equal(c) || rback.State != anchor.Included || rback.Position != 7 {
		t.Fatalf("receipt round trip: %v %+v", err, rback)
	}
	if err := json.Unmarshal([]byte(strings.Replace(string(rb), "included", "done", 1)), &rback); !errors.Is(err, anchor.ErrBadState) {
		t.Errorf("unknown state: %v", err)
	}
}

func TestEqualSpellings(t *testing.T) {
	c := anchortest.Commitment("spelling")
	d := c
	d.WindowStart = c.WindowStart.In(time.FixedZone("x", 3600))
	d.Metadata = nil
	c.Metadata = []byte{}
	if !c.Equal(d) {
		t.Fatal("same instant in another zone and nil/empty metadata differ")
	}
	d.Count++
	if c.Equal(d) {
		t.Fatal("different counts are equal")
	}
}

func FuzzDecodeCommitment(f *testing.F) {
	enc, _ := vectorCommitment(f).MarshalBinary()
	f.Add(enc)
	for _, s := range []string{"a", "b/c", "zz"} {
		e, _ := anchortest.Commitment(s).MarshalBinary()
		f.Add(e)
	}
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := anchor.DecodeCommitment(b)
		if err != nil {
			if !errors.Is(err, anchor.ErrInvalidCommitment) {
				t.Fatalf("error %v does not match ErrInvalidCommitment", err)
			}
			return
		}
		again, err := c.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded commitment re-encodes to %x, %v; input %x", again, err, b)
		}
		j, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back anchor.Commitment
		if err := json.Unmarshal(j, &back); err != nil || !back.Equal(c) {
			t.Fatalf("JSON round trip of %s: %v", j, err)
		}
	})
}
