package artefact

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/anchor/tlog/audit"
	"github.com/iotrust/iotrust/cmd/iotrust/internal/keyfile"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
)

func TestFixed(t *testing.T) {
	for _, tc := range []struct {
		v     int64
		scale int8
		want  string
	}{
		{415, 2, "4.15"}, {-5, 3, "-0.005"}, {12, -2, "1200"}, {0, -3, "0"}, {0, 2, "0.00"},
		{7, 0, "7"}, {-7, 1, "-0.7"}, {100, 2, "1.00"}, {math.MinInt64, 0, "-9223372036854775808"},
		{math.MinInt64, 19, "-0.9223372036854775808"}, {math.MaxInt64, 20, "0.09223372036854775807"},
	} {
		if got := Fixed(tc.v, tc.scale); got != tc.want {
			t.Errorf("Fixed(%d, %d) = %q, want %q", tc.v, tc.scale, got, tc.want)
		}
	}
}

// samples returns one file of several kinds, made by the packages that own
// them; the command's tests cover every kind against a real gateway.
func samples(t testing.TB) map[string][]byte {
	k, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{9}, 32))
	dev, _ := did.New(k.Public())
	s, err := reading.Sign(k, reading.Reading{Device: dev, Topic: "t/1", Seq: 1, Time: time.UnixMilli(1_800_000_000_000), Sensor: "temperature", Value: -5, Scale: 1, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	rj, _ := s.MarshalJSON()
	rc, _ := s.MarshalCBOR()
	tree := merkle.NewTree(merkle.SHA256, [][]byte{{1}, {2}, {3}})
	ip, _ := tree.InclusionProof(2)
	ipj, _ := ip.MarshalJSON()
	ipb, _ := ip.MarshalBinary()
	c := anchortest.Commitment("sample")
	cj, _ := c.MarshalJSON()
	cb, _ := c.MarshalBinary()
	signer, _ := payment.NewDIDSigner(k)
	v := &payment.Voucher{Domain: payment.Domain{ChainID: 1}, Channel: payment.ChannelID{1}, Nonce: 1, Amount: big.NewInt(10)}
	if err := payment.Sign(signer, v); err != nil {
		t.Fatal(err)
	}
	vj, _ := v.MarshalJSON()
	vb, _ := v.MarshalBinary()
	doc, _ := did.Resolve(dev)
	dj, _ := json.Marshal(doc)
	kf, _, _ := keyfile.Marshal(k)
	lp, _ := tlog.InclusionProof{Index: 0, TreeSize: 1, Checkpoint: []byte(sampleCheckpoint)}.MarshalBinary()
	vkey, err := note.NewEd25519VerifierKey("example.com/log", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"reading JSON": rj, "reading CBOR": rc, "inclusion JSON": ipj, "inclusion binary": ipb,
		"commitment JSON": cj, "commitment binary": cb, "voucher JSON": vj, "voucher binary": vb,
		"DID document": dj, "key file": kf, "checkpoint": []byte(sampleCheckpoint), "log proof": lp,
		"log key": []byte(vkey + "\n"),
	}
}

// sampleCheckpoint is a checkpoint of a log of 1 entry, as a Tessera log
// signs it.
const sampleCheckpoint = "example.com/log\n1\nKPsQRc+5soNlwG+X0fjY+3uGqAwhObQqpQC6hblud0s=\n\n\u2014 example.com/log RwvBUBrjoxSMFx+g+GDLzKqOzA2bv51ghUHai1FudfBQtpcf8IvzNDqLx5QTP8oO1W1xIgDq9N7MKWm8oHsRoYCXSQM=\n"

func TestDetectSamples(t *testing.T) {
	want := map[string]struct {
		k Kind
		e Encoding
	}{
		"reading JSON": {Reading, JSON}, "reading CBOR": {Reading, CBOR}, "inclusion JSON": {InclusionProof, JSON},
		"inclusion binary": {InclusionProof, Binary}, "commitment JSON": {Commitment, JSON}, "commitment binary": {Commitment, Binary},
		"voucher JSON": {Voucher, JSON}, "voucher binary": {Voucher, Binary}, "DID document": {DIDDocument, JSON},
		"key file": {KeyFile, JSON}, "checkpoint": {Checkpoint, Text}, "log proof": {LogProof, Binary},
		"log key": {LogKey, KeyLine},
	}
	for name, raw := range samples(t) {
		a, err := Detect(raw)
		if err != nil || a.Kind != want[name].k || a.Encoding != want[name].e {
			t.Errorf("%s: detected %s (%s), %v", name, a.Kind, a.Encoding, err)
			continue
		}
		var out bytes.Buffer
		if err := Describe(&out, a, nil); err != nil || !strings.HasPrefix(out.String(), string(a.Kind)) {
			t.Errorf("%s: Describe: %v\n%s", name, err, out.String())
		}
	}
}

// Each class of hostile input is refused with ErrUnknown, and the reasons
// given are those of the parsers of its family only.
func TestDetectHostile(t *testing.T) {
	s := samples(t)
	for _, tc := range []struct {
		name, raw, want, notWant string
	}{
		{"empty", "", "empty input", ""},
		{"too large", strings.Repeat(" ", MaxSize+1), "larger than any artefact", ""},
		{"JSON null", "null", "JSON that no parser accepts", "(binary)"},
		{"JSON of nothing known", `{"a":1}`, "as a evidence bundle (JSON)", "(CBOR)"},
		{"reading with a case-variant member", strings.Replace(string(s["reading JSON"]), `"seq"`, `"Seq"`, 1), "as a signed reading (JSON)", "(signed note)"},
		{"reading with a duplicate member", strings.Replace(string(s["reading JSON"]), `{`, `{"seq":2,`, 1), "duplicate", ""},
		{"checkpoint with an extension line", strings.Replace(sampleCheckpoint, "=\n\n", "=\nextra\n\n", 1), "extension lines", "(JSON)"},
		{"checkpoint with a padded size", strings.Replace(sampleCheckpoint, "\n1\n", "\n01\n", 1), "as a log checkpoint (signed note)", ""},
		{"checkpoint without signature", strings.SplitAfter(sampleCheckpoint, "\n\n")[0] + "\u2014 \n", "as a log checkpoint", ""},
		{"binary with a byte flipped", string(append(bytes.Clone(s["commitment binary"]), 0)), "binary data that no parser accepts", "(JSON)"},
		{"CBOR reading truncated", string(s["reading CBOR"][:len(s["reading CBOR"])-1]), "as a signed reading (CBOR)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Detect([]byte(tc.raw))
			if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Detect = %v, want ErrUnknown naming %q", err, tc.want)
			}
			if tc.notWant != "" && strings.Contains(err.Error(), tc.notWant) {
				t.Errorf("reasons include parsers of another family (%q)", tc.notWant)
			}
		})
	}
}

func TestDescribeChecksCheckpointSignatures(t *testing.T) {
	skey, vkey, err := note.GenerateKey(nil, "example.com/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	signed, err := note.Sign(&note.Note{Text: "example.com/log\n1\nKPsQRc+5soNlwG+X0fjY+3uGqAwhObQqpQC6hblud0s=\n"}, signer)
	if err != nil {
		t.Fatal(err)
	}
	k, err := audit.ParseKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		raw     []byte
		want    string
		wantErr error
	}{
		{signed, "signature:  verified with " + vkey + "\n", nil},
		// A signature checked and found bad is an error, after the
		// whole description is written, so that inspect fails.
		{[]byte(sampleCheckpoint), "signature:  DOES NOT VERIFY with " + vkey, ErrNotVerified},
	} {
		a, err := Detect(tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := Describe(&out, a, audit.Keys{k}); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
			t.Errorf("Describe: %v, want %v", err, tc.wantErr)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("description lacks %q:\n%s", tc.want, out.String())
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, raw := range samples(f) {
		f.Add(raw)
	}
	f.Add([]byte(`{"version":1,"readings":[]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		start := time.Now()
		a, err := Detect(raw)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Detect took %v on %d bytes", d, len(raw))
		}
		if err != nil {
			if !errors.Is(err, ErrUnknown) {
				t.Fatalf("error %v does not match ErrUnknown", err)
			}
			return
		}
		var out bytes.Buffer
		if err := Describe(&out, a, nil); err != nil {
			t.Fatalf("%s detected but not described: %v", a.Kind, err)
		}
	})
}
