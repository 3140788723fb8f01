package mqttgw_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

func sampleSigned(t testing.TB) reading.Signed {
	t.Helper()
	k, err := did.Ed25519.DeriveKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := did.New(k.Public())
	s, err := reading.Sign(k, reading.Reading{Device: dev, Topic: "site/1/temp", Seq: 7,
		Time: time.UnixMilli(1795000000123).UTC(), Sensor: "temperature", Value: 425, Scale: 2, Unit: "Cel"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hostilePayloads are MQTT payloads that are not exactly one signed reading.
func hostilePayloads(t testing.TB) map[string][]byte {
	s := sampleSigned(t)
	js, _ := s.MarshalJSON()
	cb, _ := s.MarshalCBOR()
	return map[string][]byte{
		"empty":                    nil,
		"whitespace":               []byte(" \n\t"),
		"open brace":               []byte("{"),
		"json null":                []byte("null"),
		"json array":               []byte("[1,2]"),
		"json duplicate member":    bytes.Replace(js, []byte(`{`), []byte(`{"seq":1,`), 1),
		"json case-variant member": bytes.Replace(js, []byte(`"seq"`), []byte(`"Seq"`), 1),
		"json unknown member":      bytes.Replace(js, []byte(`{`), []byte(`{"x":1,`), 1),
		"json trailing data":       append(append([]byte{}, js...), []byte(`{}`)...),
		"json float value":         bytes.Replace(js, []byte(`"value":425`), []byte(`"value":4.25`), 1),
		"json depth bomb":          []byte(strings.Repeat("[", 100000)),
		"json oversized":           append([]byte(`{"device":"`), bytes.Repeat([]byte("a"), reading.MaxSize)...),
		"cbor truncated":           cb[:len(cb)-3],
		"cbor trailing byte":       append(append([]byte{}, cb...), 0),
		"cbor indefinite map":      append([]byte{0xbf}, cb[1:]...),
		"cbor tag":                 append([]byte{0xd8, 0x18}, cb...),
		"cbor oversized":           append([]byte{0xa1}, bytes.Repeat([]byte{0}, reading.MaxSize+1)...),
		"text":                     []byte("21.5"),
	}
}

// Each hostile payload is refused with ErrPayload (PUBACK 0x99) wrapping
// reading's ErrMalformed, without panicking.
func TestHostilePayloads(t *testing.T) {
	for name, p := range hostilePayloads(t) {
		t.Run(name, func(t *testing.T) {
			_, err := mqttgw.ParsePayload(p)
			if !errors.Is(err, mqttgw.ErrPayload) || !errors.Is(err, reading.ErrMalformed) {
				t.Fatalf("err %v", err)
			}
			if mqttgw.CodeOf(err) != mqttgw.CodePayloadFormatInvalid {
				t.Fatalf("code %v", mqttgw.CodeOf(err))
			}
		})
	}
}

func jwsOf(header, claims string) []byte {
	e := base64.RawURLEncoding.EncodeToString
	return []byte(e([]byte(header)) + "." + e([]byte(claims)) + "." + e(bytes.Repeat([]byte{1}, 64)))
}

// hostilePresentations are CONNECT passwords (or POST /v1/admit bodies)
// that are not a presentation the gateway can accept.
func hostilePresentations() map[string][]byte {
	const hdr = `{"alg":"EdDSA","kid":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","typ":"JWT"}`
	const iss = `"iss":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"`
	vp := func(creds string) string {
		return `{` + iss + `,"aud":"did:key:z6Mkgw","nonce":"AAAA","exp":9999999999,"vp":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],"verifiableCredential":` + creds + `}}`
	}
	many := "[" + strings.TrimSuffix(strings.Repeat(`"a.b.c",`, vc.MaxCredentialsPerPresentation+1), ",") + "]"
	return map[string][]byte{
		"empty":                     nil,
		"not a JWS":                 []byte("a.b"),
		"payload not base64url":     []byte("eyJ.!!!.eyJ"),
		"payload not JSON":          jwsOf(hdr, "not json"),
		"unknown claim":             jwsOf(hdr, `{`+iss+`,"x":1,"vp":{}}`),
		"duplicate vp":              jwsOf(hdr, `{`+iss+`,"vp":{},"vp":{}}`),
		"case-variant vp":           jwsOf(hdr, `{`+iss+`,"VP":{}}`),
		"no credentials":            jwsOf(hdr, vp(`[]`)),
		"too many credentials":      jwsOf(hdr, vp(many)),
		"credential is a number":    jwsOf(hdr, vp(`[42]`)),
		"forged signature":          jwsOf(hdr, vp(`["a.b.c"]`)),
		"alg none":                  jwsOf(`{"alg":"none","kid":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}`, vp(`["a.b.c"]`)),
		"oversized":                 bytes.Repeat([]byte("a"), vc.MaxPresentationSize+1),
		"trailing data in payload":  jwsOf(hdr, vp(`["a.b.c"]`)+`{}`),
		"deeply nested credentials": jwsOf(hdr, vp(strings.Repeat("[", 5000))),
	}
}

// Each hostile presentation is refused with ErrAdmission wrapping a vc
// error, admits nobody and spends no challenge of the gateway's.
func TestHostilePresentations(t *testing.T) {
	ctx := context.Background()
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", TrustedIssuers: []string{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}})
	if err != nil {
		t.Fatal(err)
	}
	sentinels := []error{vc.ErrMalformed, vc.ErrBadSignature, vc.ErrUnsupportedAlgorithm, vc.ErrChallenge, vc.ErrKeyResolution}
	for name, p := range hostilePresentations() {
		t.Run(name, func(t *testing.T) {
			_, err := adm.Admit(ctx, p)
			if !errors.Is(err, mqttgw.ErrAdmission) {
				t.Fatalf("err %v", err)
			}
			ok := false
			for _, s := range sentinels {
				ok = ok || errors.Is(err, s)
			}
			if !ok {
				t.Fatalf("no vc sentinel in %v", err)
			}
		})
	}
	if len(adm.Devices()) != 0 {
		t.Fatal("a hostile presentation admitted a device")
	}
}

// The HTTP API refuses hostile requests with a status and a JSON error,
// and verifying garbage gives a report whose one check fails.
func TestHostileHTTP(t *testing.T) {
	s := newStack(t, stackOpts{})
	cases := []struct {
		name, method, path string
		body               io.Reader
		want               int
	}{
		{"evidence id not a digest", "GET", "/v1/evidence/nope", nil, 400},
		{"evidence id upper-case hex", "GET", "/v1/evidence/blake3:" + strings.Repeat("AB", 32), nil, 400},
		{"evidence id unknown", "GET", "/v1/evidence/blake3:" + strings.Repeat("ab", 32), nil, 404},
		{"batch root not a digest", "GET", "/v1/batches/xyz", nil, 400},
		{"batch root unknown", "GET", "/v1/batches/sha256:" + strings.Repeat("00", 32), nil, 404},
		{"batches n negative", "GET", "/v1/batches?n=-1", nil, 400},
		{"batches n not a number", "GET", "/v1/batches?n=x", nil, 400},
		{"admit oversized", "POST", "/v1/admit", bytes.NewReader(make([]byte, vc.MaxPresentationSize+1)), 413},
		{"admit garbage", "POST", "/v1/admit", strings.NewReader("garbage"), 403},
		{"verify oversized", "POST", "/v1/verify", bytes.NewReader(make([]byte, evidence.MaxSize+1)), 413},
		{"challenge by POST", "POST", "/v1/challenge", nil, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, s.api.URL+c.path, c.body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.want {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("HTTP %d %s, want %d", resp.StatusCode, b, c.want)
			}
		})
	}
	for name, body := range map[string]string{"garbage": "garbage", "empty object": "{}", "wrong version": `{"version":2}`} {
		resp, err := http.Post(s.api.URL+"/v1/verify", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			OK     bool `json:"ok"`
			Checks []struct {
				Name, Outcome, Reason string
			} `json:"checks"`
		}
		err = json.NewDecoder(resp.Body).Decode(&rep)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || rep.OK || len(rep.Checks) != 1 || rep.Checks[0].Name != "bundle" || rep.Checks[0].Outcome != "fail" {
			t.Fatalf("%s: HTTP %d %+v %v", name, resp.StatusCode, rep, err)
		}
	}
}

// A damaged credential file in the admission directory is skipped, not
// fatal, and admits nobody.
func TestDamagedCredentialFile(t *testing.T) {
	dir := t.TempDir()
	for name, b := range map[string]string{"a.json": "garbage", "b.json": `{"device":"did:key:x","credentials":["a.b.c"]}`, "c.json": `{"device":1}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	adm, err := mqttgw.NewAdmission(context.Background(), mqttgw.AdmissionConfig{Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(adm.Devices()) != 0 {
		t.Fatal("damaged file admitted a device")
	}
}

// Admitted devices are admitted again after a restart from their stored
// credentials, and their credentials go into evidence bundles.
func TestAdmissionSurvivesRestart(t *testing.T) {
	s := newStack(t, stackOpts{})
	ctx := context.Background()
	d, _, _ := s.newDevice(t, "site/#")
	dir := filepath.Join(s.dir, "credentials")
	adm2, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		TrustedIssuers: []string{s.issuer.issuer.DID()}, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !adm2.Admitted(d.DID()) {
		t.Fatal("device not admitted again after restart")
	}
	if err := adm2.Authorizer().Authorize(ctx, d.DID(), vc.ActionPublish, "site/x"); err != nil {
		t.Fatal(err)
	}
	if _, err := adm2.Credential(d.DID(), "site/x"); err != nil {
		t.Fatal(err)
	}
	if _, err := adm2.Credential(d.DID(), "other/x"); !errors.Is(err, mqttgw.ErrNoCredential) && err != nil {
		t.Fatal(err)
	}
}

func FuzzParsePayload(f *testing.F) {
	s := sampleSigned(f)
	js, _ := s.MarshalJSON()
	cb, _ := s.MarshalCBOR()
	f.Add(js)
	f.Add(cb)
	for _, p := range hostilePayloads(f) {
		if len(p) < 4096 {
			f.Add(p)
		}
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		start := time.Now()
		got, err := mqttgw.ParsePayload(p)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%d bytes took %v", len(p), d)
		}
		if err != nil {
			if !errors.Is(err, mqttgw.ErrPayload) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// One encoding of each reading: what parses re-encodes to a payload
		// of the same reading.
		again, _ := got.MarshalCBOR()
		back, err := mqttgw.ParsePayload(again)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := got.ID()
		b, _ := back.ID()
		if a != b || !bytes.Equal(got.Signature, back.Signature) {
			t.Fatal("re-encoding changed the reading")
		}
	})
}

func FuzzAdmit(f *testing.F) {
	for _, p := range hostilePresentations() {
		if len(p) < 8192 {
			f.Add(p)
		}
	}
	ctx := context.Background()
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		TrustedIssuers: []string{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		FetchStatus:    func(context.Context, string) ([]byte, error) { return nil, errors.New("offline") }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		start := time.Now()
		_, err := adm.Admit(ctx, p)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%d bytes took %v", len(p), d)
		}
		// Nobody can answer a challenge that was never issued.
		if !errors.Is(err, mqttgw.ErrAdmission) {
			t.Fatalf("admitted or untyped: %v", err)
		}
	})
}
