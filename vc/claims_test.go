package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

func carClaims() Claims {
	return Claims{"vin": "WVWZZZ1JZXW000001", "contractID": "EMP-DE-8AA-1234567-8", "maxPowerW": 11000, "bidirectional": false}
}

// TestClaimsRoundTrip: application claims are signed and come back typed
// in every format.
func TestClaimsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		scheme did.Scheme
		format Format
	}{{did.Ed25519, FormatJWT}, {did.P256, FormatJWT}, {did.Ed25519, FormatDataIntegrity}} {
		f := newFixture(t, tc.scheme)
		want := f.credential()
		want.Claims = carClaims()
		raw := f.issue(t, tc.format, want)
		got, err := f.verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		want.Issuer = f.issuer.DID()
		want.Claims = Claims{"vin": "WVWZZZ1JZXW000001", "contractID": "EMP-DE-8AA-1234567-8", "maxPowerW": int64(11000), "bidirectional": false}
		if !reflect.DeepEqual(got.DeviceCredential, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", tc.format, got.DeviceCredential, want)
		}
		if p, err := got.Claims.Int("maxPowerW"); err != nil || p != 11000 {
			t.Fatalf("%s: maxPowerW = %d, %v", tc.format, p, err)
		}
		if tc.format == FormatDataIntegrity {
			var doc struct {
				Context []string `json:"@context"`
			}
			_ = json.Unmarshal(raw, &doc)
			if !slices.Equal(doc.Context, []string{ldcontext.CredentialsV2, ldcontext.DeviceV1, ldcontext.ClaimsV1}) {
				t.Fatalf("@context %v", doc.Context)
			}
		}
	}
}

// TestClaimsAreSigned: changing a claim after issuing breaks the signature
// in both formats.
func TestClaimsAreSigned(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	c.Claims = carClaims()
	forged := rewriteJWT(t, string(f.issue(t, FormatJWT, c)), func(_, p map[string]any) {
		p["vc"].(map[string]any)["credentialSubject"].(map[string]any)["claims"].(map[string]any)["maxPowerW"] = 350000
	})
	if _, err := f.verifier.Verify(ctx, []byte(forged)); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("JWT: %v", err)
	}
	var doc map[string]any
	_ = json.Unmarshal(f.issue(t, FormatDataIntegrity, c), &doc)
	doc["credentialSubject"].(map[string]any)["claims"].(map[string]any)["maxPowerW"] = 350000
	b, _ := json.Marshal(doc)
	if _, err := f.verifier.Verify(ctx, b); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Data Integrity: %v", err)
	}
}

func TestClaimsAccessors(t *testing.T) {
	c := Claims{"s": "x", "i": int64(7), "n": 8, "b": true}
	if s, err := c.String("s"); s != "x" || err != nil {
		t.Fatal(s, err)
	}
	if i, err := c.Int("i"); i != 7 || err != nil {
		t.Fatal(i, err)
	}
	if i, err := c.Int("n"); i != 8 || err != nil {
		t.Fatal(i, err)
	}
	if b, err := c.Bool("b"); !b || err != nil {
		t.Fatal(b, err)
	}
	for name, err := range map[string]error{
		"missing string": func() error { _, err := c.String("none"); return err }(),
		"int as string":  func() error { _, err := c.String("i"); return err }(),
		"string as int":  func() error { _, err := c.Int("s"); return err }(),
		"int as bool":    func() error { _, err := c.Bool("i"); return err }(),
		"nil claims":     func() error { _, err := Claims(nil).Int("i"); return err }(),
	} {
		if !errors.Is(err, ErrNoClaim) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestClaimsValidated: the issuer refuses claims outside the rules, and
// so does the decoder (a JWT re-signed with such claims).
func TestClaimsValidated(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	many := Claims{}
	for i := range MaxClaims + 1 {
		many["c"+strings.Repeat("x", i)] = i
	}
	for name, claims := range map[string]Claims{
		"too many":            many,
		"empty name":          {"": 1},
		"name starts digit":   {"1vin": "x"},
		"name with space":     {"max power": 1},
		"name with dot":       {"a.b": 1},
		"name too long":       {strings.Repeat("a", MaxClaimNameLength+1): 1},
		"string too long":     {"vin": strings.Repeat("a", MaxClaimLength+1)},
		"control character":   {"vin": "a\nb"},
		"invalid UTF-8":       {"vin": "a\xffb"},
		"float":               {"maxPowerW": 1.5},
		"integer beyond 2^53": {"maxPowerW": int64(canon.MaxSafeInteger + 1)},
		"negative beyond":     {"maxPowerW": -canon.MaxSafeInteger - 1},
		"unsigned":            {"maxPowerW": uint(1)},
		"nested object":       {"meter": map[string]any{"model": "x"}},
		"list":                {"connectors": []string{"CCS"}},
		"null":                {"vin": nil},
	} {
		c := f.credential()
		c.Claims = claims
		for _, format := range []Format{FormatJWT, FormatDataIntegrity} {
			var err error
			if format == FormatJWT {
				_, err = f.issuer.IssueJWT(c)
			} else {
				_, err = f.issuer.IssueDataIntegrity(c, t0)
			}
			if !errors.Is(err, ErrInvalidClaims) {
				t.Errorf("%s %s: %v", name, format, err)
			}
		}
	}
	var c Claims
	for name, raw := range map[string]string{
		"exponent":   `{"p":1e3}`,
		"fraction":   `{"p":1.0}`,
		"beyond":     `{"p":9007199254740992}`,
		"null":       `{"p":null}`,
		"array":      `{"p":[1]}`,
		"bad name":   `{"p q":1}`,
		"not object": `[1]`,
	} {
		if err := json.Unmarshal([]byte(raw), &c); err == nil {
			t.Errorf("%s: decoded %v", name, c)
		}
	}
}

// TestClaimIntegerLiteral: an integer claim is an integer literal in both
// formats. In a Data Integrity credential the claims object is signed as
// its RFC 8785 form, where 11000.0 and 1.1e4 are 11000, so these edits keep
// the signature valid; they are refused as the JWT path refuses them.
func TestClaimIntegerLiteral(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	c.Claims = carClaims()
	raw := f.issue(t, FormatDataIntegrity, c)
	if !bytes.Contains(raw, []byte(`"maxPowerW":11000`)) {
		t.Fatalf("claim not found in %s", raw)
	}
	for _, lit := range []string{"11000.0", "1.1e4", "11000e0", "1.1E+4"} {
		b := bytes.Replace(raw, []byte(`"maxPowerW":11000`), []byte(`"maxPowerW":`+lit), 1)
		if _, err := f.verifier.Verify(ctx, b); !errors.Is(err, ErrInvalidClaims) {
			t.Errorf("Data Integrity claim %s: %v", lit, err)
		}
		var cl Claims
		if err := json.Unmarshal([]byte(`{"maxPowerW":`+lit+`}`), &cl); !errors.Is(err, ErrInvalidClaims) {
			t.Errorf("claims object with %s: %v", lit, err)
		}
	}
	if _, err := f.verifier.Verify(ctx, raw); err != nil {
		t.Fatalf("unedited: %v", err)
	}
}
