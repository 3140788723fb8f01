package evidence

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/multiformats/go-multibase"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// hostileFiles caches the valid files the hostile cases are made from (a
// real log is opened once per test binary).
var hostileFiles struct {
	once        sync.Once
	single, set []byte
}

// validFiles returns the file of a one-reading bundle with a JWT-like
// credential and the file of a two-reading bundle on two logs.
func validFiles(t testing.TB) (single, set []byte) {
	hostileFiles.once.Do(func() {
		la := openLog(t, "example.com/log-a", 1)
		lb := openLog(t, "example.org/log-b", 2)
		b := newBatch(t, 20, la, lb)
		bd := b.bundle(t, 7)
		bd.Receipts = bd.Receipts[:1]
		bd.Credential = []byte("eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2ln")
		var err error
		if hostileFiles.single, err = bd.Marshal(); err != nil {
			t.Fatal(err)
		}
		p, _ := b.tree.MultiInclusionProof([]uint64{2, 9})
		sb, err := NewSet([]reading.Signed{b.readings[2], b.readings[9]}, p, b.c, b.receipts)
		if err != nil {
			t.Fatal(err)
		}
		if hostileFiles.set, err = sb.Marshal(); err != nil {
			t.Fatal(err)
		}
	})
	if hostileFiles.single == nil {
		t.Fatal("no valid files")
	}
	return hostileFiles.single, hostileFiles.set
}

// stutter returns the package prefix an error message repeats, as in
// "zkp: ...: zkp: ...", or "".
func stutter(msg string) string {
	for _, p := range []string{"evidence", "reading", "canon", "merkle", "anchor", "zkp", "did", "vc", "tlog", "cbor"} {
		m, n := ": "+msg, 0
		for i := strings.Index(m, ": "+p+": "); i >= 0; i = strings.Index(m, ": "+p+": ") {
			n++
			m = m[i+2:]
		}
		if n > 1 {
			return p
		}
	}
	return ""
}

// TestHostileFiles is the catalogue of hostile bundle files and the errors
// each must produce. Every case matches ErrMalformed; want lists more.
func TestHostileFiles(t *testing.T) {
	single, set := validFiles(t)
	for _, f := range [][]byte{single, set} {
		if _, err := Parse(f); err != nil {
			t.Fatalf("valid file refused: %v\n%s", err, f)
		}
	}
	s := string(single)
	rep := func(old, new string) []byte {
		t.Helper()
		if !strings.Contains(s, old) {
			t.Fatalf("file lacks %q:\n%s", old, s)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
	repSet := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(set, []byte(old)) {
			t.Fatalf("set file lacks %q", old)
		}
		return bytes.Replace(set, []byte(old), []byte(new), 1)
	}
	// Pieces of the valid file to mutate.
	b, _ := Parse(single)
	c := b.Commitment
	rootHex := c.Root.Hex()
	cidStr := c.CID.String()
	base58CID, _ := c.CID.StringOfBase(multibase.Base58BTC)
	startStr := formatTime(c.WindowStart)
	pathHex := b.Inclusion.Path[0].String()
	proof := b64.EncodeToString(b.Receipts[0].Proof)
	receipt := s[strings.Index(s, `{"chain"`):strings.Index(s, `],"version"`)]
	sig := b64.EncodeToString(b.Readings[0].Signature)
	cred := `"credential":"` + string(b.Credential) + `"`
	oversizeReceipts := rep(receipt, strings.TrimSuffix(strings.Repeat(receipt+",", MaxReceipts+1), ","))

	cases := []struct {
		name string
		in   []byte
		want []error
	}{
		// One spelling of every member name.
		{"unknown member", rep(`{"commitment"`, `{"comment":"x","commitment"`), []error{canon.ErrUnknownMember}},
		{"case-variant member", rep(`"version":1`, `"Version":1`), []error{canon.ErrUnknownMember}},
		{"case-variant nested member", rep(`"windowEnd"`, `"WindowEnd"`), []error{canon.ErrUnknownMember}},
		{"unknown receipt member", rep(`{"chain"`, `{"block":1,"chain"`), []error{canon.ErrUnknownMember}},
		{"unknown inclusion member", rep(`"hasher"`, `"leaf":"x","hasher"`), []error{canon.ErrUnknownMember}},
		{"duplicate member", rep(`"version":1`, `"version":1,"version":1`), []error{canon.ErrDuplicateKey}},
		{"duplicate nested member", rep(`"count":`, `"count":1,"count":`), []error{canon.ErrDuplicateKey}},
		{"case-variant reading member", rep(`"seq":`, `"Seq":`), []error{reading.ErrMalformed, canon.ErrUnknownMember}},
		// Versions.
		{"version 2", rep(`"version":1`, `"version":2`), []error{ErrUnsupportedVersion}},
		{"version 2 with new members", rep(`"version":1`, `"version":2,"witnesses":[]`), []error{ErrUnsupportedVersion}},
		{"version 0", rep(`"version":1`, `"version":0`), []error{ErrUnsupportedVersion}},
		{"no version", rep(`,"version":1`, ``), []error{ErrUnsupportedVersion}},
		{"version as string", rep(`"version":1`, `"version":"1"`), []error{canon.ErrWrongType}},
		{"version 1.0", rep(`"version":1`, `"version":1.0`), nil},
		// Missing and misplaced parts.
		{"no commitment", []byte(strings.Replace(s, s[strings.Index(s, `"commitment"`):strings.Index(s, `"credential"`)], ``, 1)), nil},
		{"no inclusion proof", []byte(strings.Replace(s, s[strings.Index(s, `"inclusion"`):strings.Index(s, `"readings"`)], ``, 1)), nil},
		{"both proofs", rep(`"inclusion"`, `"multiInclusion":{"hasher":"blake3","indices":[7],"path":[],"size":20},"inclusion"`), nil},
		{"multi proof for fewer readings", repSet(`"indices":[2,9]`, `"indices":[2]`), nil},
		{"multi proof indices unsorted", repSet(`"indices":[2,9]`, `"indices":[9,2]`), nil},
		{"no readings", rep(s[strings.Index(s, `"readings":[`):strings.Index(s, `],"receipts"`)+1], `"readings":[]`), nil},
		{"receipts missing", rep(`"receipts":[`+receipt+`],`, ``), nil},
		{"receipts null", rep(`"receipts":[`+receipt+`]`, `"receipts":null`), nil},
		{"two receipts of one ledger", rep(receipt, receipt+","+receipt), nil},
		{"null member", rep(`"version":1`, `"version":1,"zkp":null`), nil},
		{"null path", rep(s[strings.Index(s, `"path":[`):strings.Index(s, `],"size"`)+1], `"path":null`), nil},
		{"empty credential", rep(cred, `"credential":""`), nil},
		{"credential a number", rep(cred, `"credential":1`), nil},
		{"credential an array", rep(cred, `"credential":["a"]`), nil},
		{"credential JSON in a string", rep(cred, `"credential":"{\"a\":1}"`), nil},
		{"credential with a space", rep(cred, `"credential":"a b"`), nil},
		// One spelling of every value.
		{"time with offset", rep(`"windowStart":"`+startStr, `"windowStart":"`+strings.Replace(startStr, "06:00:00Z", "07:00:00+01:00", 1)), nil},
		{"time with trailing zeros", rep(`"windowStart":"`+startStr, `"windowStart":"`+strings.Replace(startStr, "Z", ".000Z", 1)), nil},
		{"time not RFC 3339", rep(`"windowStart":"`+startStr, `"windowStart":"Sun Nov 22 06:00:00 UTC 2026`), nil},
		{"uppercase path hex", rep(pathHex, strings.ToUpper(pathHex)), nil},
		{"uppercase root hex", rep(rootHex, strings.ToUpper(rootHex)), nil},
		{"root without its function", rep(`"blake3:`+rootHex, `"`+rootHex), []error{canon.ErrBadDigest}},
		{"root of another function", rep(`"blake3:`+rootHex, `"sha256:`+rootHex), nil},
		{"CID in base58", rep(cidStr, base58CID), nil},
		{"CID garbage", rep(cidStr, "bafyNOTACID"), []error{anchor.ErrBadCID}},
		{"padded base64 proof", rep(proof, proof+"=="), nil},
		{"standard base64 proof", rep(proof, strings.NewReplacer("-", "+", "_", "/").Replace(proof)+"+/"), nil},
		{"empty receipt proof spelled out", rep(`"proof":"`+proof+`"`, `"proof":""`), nil},
		{"state in capitals", rep(`"state":"final"`, `"state":"FINAL"`), []error{anchor.ErrBadState}},
		{"state unknown", rep(`"state":"final"`, `"state":"settled"`), []error{anchor.ErrBadState}},
		{"position beyond 2^53", rep(`"position":0`, `"position":9007199254740992`), nil},
		{"count beyond 2^53", rep(`"count":20`, `"count":9007199254740992`), nil},
		{"negative count", rep(`"count":20`, `"count":-20`), []error{canon.ErrWrongType}},
		{"float index", rep(`"index":7`, `"index":7.5`), []error{canon.ErrWrongType}},
		{"unknown hasher", rep(`"hasher":"blake3"`, `"hasher":"md5"`), nil},
		{"signature spelled with padding", rep(sig, sig+"=="), []error{reading.ErrMalformed}},
		// Zero-knowledge parts.
		{"zkp proof garbage", rep(`"version":1`, `"version":1,"zkp":{"claim":{"intervals":[{"hi":5,"lo":1}],"kind":"reading"},"proof":"AAAA"}`), []error{zkp.ErrMalformed}},
		{"zkp unknown kind", rep(`"version":1`, `"version":1,"zkp":{"claim":{"intervals":[],"kind":"median"},"proof":"AAAA"}`), nil},
		{"zkp unknown member", rep(`"version":1`, `"version":1,"zkp":{"claim":{"intervals":[],"kind":"reading","values":[1]},"proof":"AAAA"}`), []error{canon.ErrUnknownMember}},
		// Sizes and shapes of the input.
		{"oversize input", append(bytes.Repeat([]byte(" "), MaxSize), single...), []error{ErrTooLarge}},
		{"too many receipts", oversizeReceipts, []error{ErrTooLarge}},
		{"oversize ledger name", rep(`"ledger":"tlog"`, `"ledger":"`+strings.Repeat("l", MaxReceiptFieldLen+1)+`"`), []error{ErrTooLarge}},
		{"deep nesting", rep(cred, `"credential":`+strings.Repeat("[", 40)+strings.Repeat("]", 40)), []error{canon.ErrTooDeep}},
		{"trailing data", append(append([]byte(nil), single...), `{}`...), []error{canon.ErrTrailingData}},
		{"empty input", nil, []error{canon.ErrEmpty}},
		{"array", []byte(`[` + s + `]`), []error{canon.ErrWrongType}},
		{"not JSON", []byte("version: 1"), []error{canon.ErrSyntax}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate case %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			b, err := Parse(c.in)
			t.Log(err)
			if err == nil {
				t.Fatalf("accepted:\n%.600s", c.in)
			}
			if b != nil {
				t.Error("a bundle returned with the error")
			}
			for _, w := range append([]error{ErrMalformed}, c.want...) {
				if !errors.Is(err, w) {
					t.Errorf("%v does not match %v", err, w)
				}
			}
			if m := stutter(err.Error()); m != "" {
				t.Errorf("stuttering error (%q): %v", m, err)
			}
		})
	}
}
