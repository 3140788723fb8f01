package keyfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/did"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []did.SchemeID{did.Ed25519, did.P256, did.MLDSA44, did.MLDSA65, did.MLDSA87} {
		t.Run(s.Name(), func(t *testing.T) {
			k, err := s.GenerateKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "k.jwk")
			id, err := Write(path, k)
			if err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			if _, err := Write(path, k); !errors.Is(err, os.ErrExist) {
				t.Errorf("second Write: %v, want os.ErrExist", err)
			}
			raw, _ := os.ReadFile(path)
			back, backID, err := Parse(raw)
			if err != nil || backID != id || !back.Public().Equal(k.Public()) {
				t.Fatalf("Parse: %v, DID %s want %s", err, backID, id)
			}
			// The file is a JWK with the private seed where JOSE puts it.
			var m map[string]any
			json.Unmarshal(raw, &m)
			seedMember := "d"
			if s >= did.MLDSA44 {
				seedMember = "priv"
			}
			if _, ok := m[seedMember]; !ok || !strings.HasPrefix(m["kid"].(string), id+"#") {
				t.Errorf("file %s lacks %q or a kid of %s", raw, seedMember, id)
			}
			// Whitespace and member order are all that may vary.
			var pretty bytes.Buffer
			json.Indent(&pretty, raw, "", "  ")
			if _, _, err := Parse(pretty.Bytes()); err != nil {
				t.Errorf("indented file: %v", err)
			}
		})
	}
}

// Each hostile key file is refused with ErrMalformed.
func TestParseHostile(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	k, _ := did.Ed25519.DeriveKey(seed)
	good, id, err := Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{8}, 32))
	otherFile, _, _ := Marshal(other)
	var m, o map[string]string
	json.Unmarshal(good, &m)
	json.Unmarshal(otherFile, &o)
	edit := func(f func(map[string]string)) string {
		c := map[string]string{}
		for k, v := range m {
			c[k] = v
		}
		f(c)
		b, _ := json.Marshal(c)
		return string(b)
	}
	ml, _ := did.MLDSA44.DeriveKey(seed)
	mlFile, _, _ := Marshal(ml)
	for _, tc := range []struct {
		name, raw string
	}{
		{"empty", ""},
		{"not an object", `"key"`},
		{"unknown member", edit(func(c map[string]string) { c["ext"] = "true" })},
		{"duplicate member", strings.Replace(string(good), `{`, `{"kty":"OKP",`, 1)},
		{"case variant", strings.Replace(string(good), `"kid"`, `"Kid"`, 1)},
		{"no seed", edit(func(c map[string]string) { delete(c, "d") })},
		{"padded seed", edit(func(c map[string]string) { c["d"] += "=" })},
		{"seed of another key", edit(func(c map[string]string) { c["d"] = o["d"] })},
		{"public key of another key", edit(func(c map[string]string) { c["x"] = o["x"] })},
		{"kid of another key", edit(func(c map[string]string) { c["kid"] = o["kid"] })},
		{"kid a DID, not its method", edit(func(c map[string]string) { c["kid"] = id })},
		{"no use", edit(func(c map[string]string) { delete(c, "use") })},
		{"seed in priv", edit(func(c map[string]string) { c["priv"] = c["d"]; delete(c, "d") })},
		{"AKP seed in d", strings.Replace(string(mlFile), `"priv"`, `"d"`, 1)},
		{"small-order public key", edit(func(c map[string]string) { c["x"] = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })},
		{"trailing data", string(good) + "{}"},
		{"too large", edit(func(c map[string]string) { c["kid"] = strings.Repeat("a", MaxSize) })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Parse([]byte(tc.raw)); !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse = %v, want ErrMalformed", err)
			}
		})
	}
	if _, _, err := Parse([]byte(edit(func(c map[string]string) { c["x"] = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }))); !errors.Is(err, did.ErrWeakKey) {
		t.Errorf("small-order key: %v, want did.ErrWeakKey too", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []did.SchemeID{did.Ed25519, did.P256, did.MLDSA44} {
		k, _ := s.DeriveKey(bytes.Repeat([]byte{3}, s.SeedSize()))
		file, _, _ := Marshal(k)
		f.Add(file)
	}
	f.Add([]byte(`{"crv":"Ed25519","d":"","kid":"","kty":"OKP"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		k, id, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		// What is accepted is the key's one file, whitespace aside.
		file, id2, err := Marshal(k)
		if err != nil || id2 != id {
			t.Fatalf("accepted key does not marshal back: %v", err)
		}
		if _, _, err := Parse(file); err != nil {
			t.Fatal(err)
		}
	})
}
