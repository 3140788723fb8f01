package payment

import (
	"bytes"
	"encoding/json"
	"testing"
)

// fuzzJSON is the common body of the JSON fuzz targets: decoding never
// panics, and whatever decodes encodes to JSON that decodes to the same
// value and encodes to the same bytes again.
func fuzzJSON[T any, P interface {
	*T
	json.Unmarshaler
}](f *testing.F, seeds []hostileCase, valid ...[]byte) {
	for _, v := range valid {
		f.Add(v)
	}
	for _, tc := range seeds {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v T
		if err := P(&v).UnmarshalJSON(b); err != nil {
			return
		}
		again, err := json.Marshal(&v)
		if err != nil {
			t.Fatalf("accepted value does not encode: %v\n%q", err, b)
		}
		var w T
		if err := P(&w).UnmarshalJSON(again); err != nil {
			t.Fatalf("re-encoding refused: %v\n%s", err, again)
		}
		third, err := json.Marshal(&w)
		if err != nil || !bytes.Equal(third, again) {
			t.Fatalf("encoding not stable:\n%s\n%s", again, third)
		}
	})
}

// FuzzChannelJSON: Channel.UnmarshalJSON on any bytes, seeded with the
// hostile catalogue.
func FuzzChannelJSON(f *testing.F) {
	fuzzJSON[Channel](f, channelJSONCases(f), []byte(validChannelJSON(f)))
}

// FuzzVoucherJSON: Voucher.UnmarshalJSON on any bytes; an accepted voucher
// also has a binary encoding that parses back to it.
func FuzzVoucherJSON(f *testing.F) {
	fuzzJSON[Voucher](f, voucherJSONCases(f), []byte(validVoucherJSON(f, 5, 700)))
}

// FuzzEvidenceJSON: Evidence.UnmarshalJSON on any bytes.
func FuzzEvidenceJSON(f *testing.F) {
	ok := `{"first":` + validVoucherJSON(f, 5, 700) + `,"second":` + validVoucherJSON(f, 5, 701) + `}`
	fuzzJSON[Evidence](f, evidenceJSONCases(f), []byte(ok))
}

// FuzzRedemptionJSON: Redemption.UnmarshalJSON on any bytes.
func FuzzRedemptionJSON(f *testing.F) {
	fuzzJSON[Redemption](f, redemptionJSONCases(f), []byte(mustJSON(f, testRedemption(f))))
}

// FuzzParseAddress: ParseAddress and ChannelID.UnmarshalText accept only
// the one spelling they write.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x5fbdb2315678afecb367f032d93f642f64180aa3",
		"0x0000000000000000000000000000000000000000", "5FbDB2315678afecb367f032d93F642f64180aa3", "0x", "",
		ChannelID{1, 2, 3}.String(), "0X" + ChannelID{}.String()[2:],
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ParseAddress(s); err == nil && a.String() != s {
			t.Fatalf("ParseAddress(%q) accepted a spelling other than %s", s, a)
		}
		var id ChannelID
		if err := id.UnmarshalText([]byte(s)); err == nil && id.String() != s {
			t.Fatalf("ChannelID %q accepted as %s", s, id)
		}
	})
}
