package evidence

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
)

// TestCredential: the device's credential in both of vc's formats, checked
// against trusted issuers at the readings' time, and every way it can fail
// to cover the reading.
func TestCredential(t *testing.T) {
	ctx := context.Background()
	l := openLog(t, "example.com/iotrust/credential-test", 6)
	b := newBatch(t, 6, l)
	bd := b.bundle(t, 3) // an Ed25519 device (devices alternate by index mod 3)
	dev := b.readings[3].Device
	mfrKey, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{9}, 32))
	mfr, _ := vc.NewIssuer(mfrKey)
	strangerKey, _ := did.Ed25519.DeriveKey(bytes.Repeat([]byte{10}, 32))
	stranger, _ := vc.NewIssuer(strangerKey)
	base := vc.DeviceCredential{
		Subject: dev, Manufacturer: "Acme Sensors", Model: "TX-1", SerialNumber: "SN-7",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware 1.4.2")),
		Roles:        vc.Roles{Publish: []string{"coldchain/+/temp"}},
		ValidFrom:    t0.Add(-24 * time.Hour), ValidUntil: t0.Add(365 * 24 * time.Hour),
	}
	// The credential is judged at the readings' time, not today.
	verifier := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{mfr.DID()}, Now: func() time.Time { return t0 }})
	trust := b.trust()
	trust.Credentials = verifier

	jwt := func(is *vc.Issuer, f func(*vc.DeviceCredential)) []byte {
		c := base
		if f != nil {
			f(&c)
		}
		s, err := is.IssueJWT(c)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(s)
	}
	di, err := mfr.IssueDataIntegrity(base, t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cred []byte
		want Outcome
	}{
		{"jwt", jwt(mfr, nil), Pass},
		{"data integrity", di, Pass},
		{"another device's", jwt(mfr, func(c *vc.DeviceCredential) { c.Subject = b.readings[1].Device }), Fail},
		{"untrusted issuer", jwt(stranger, nil), Fail},
		{"expired before the reading", jwt(mfr, func(c *vc.DeviceCredential) { c.ValidUntil = t0.Add(time.Second) }), Fail},
		{"topic not granted", jwt(mfr, func(c *vc.DeviceCredential) { c.Roles.Publish = []string{"coldchain/+/humidity"} }), Fail},
		{"forged", append(jwt(mfr, nil)[:40], jwt(stranger, nil)[40:]...), Fail},
	} {
		t.Run(c.name, func(t *testing.T) {
			withCred := bd.clone()
			withCred.Credential = c.cred
			file, err := withCred.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(file)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !bytes.Equal(back.Credential, withCred.Credential) && c.cred[0] != '{' {
				t.Fatal("credential changed on a round trip")
			}
			rep := Verify(ctx, back, trust)
			wantOutcome(t, rep, "credential", c.want)
			wantOutcome(t, rep, "reading[0]", Pass)
			if rep.OK() != (c.want == Pass) {
				t.Fatalf("OK %v:\n%s", rep.OK(), rep)
			}
			// Without a credential verifier, the credential is skipped;
			// unless one is required.
			rep = Verify(ctx, back, b.trust())
			wantOutcome(t, rep, "credential", Skip)
			required := b.trust()
			required.RequireCredential = true
			rep = Verify(ctx, back, required)
			wantOutcome(t, rep, "credential", Fail)
			if err := rep.Err(); !errors.Is(err, ErrNoCredential) {
				t.Fatalf("Err() = %v, want ErrNoCredential", err)
			}
		})
	}
	// A bundle whose credential was removed: skipped by default, failed
	// when the trust requires one, whatever the issuers trusted.
	stripped := bd.clone()
	stripped.Credential = nil
	wantOutcome(t, Verify(ctx, stripped, trust), "credential", Skip)
	required := trust
	required.RequireCredential = true
	rep := Verify(ctx, stripped, required)
	wantOutcome(t, rep, "credential", Fail)
	if rep.OK() || !errors.Is(rep.Err(), ErrNoCredential) {
		t.Fatalf("stripped bundle with a credential required: OK %v, Err %v", rep.OK(), rep.Err())
	}
	// The rest of the bundle is checked as before.
	wantOutcome(t, rep, "reading[0]", Pass)
	wantOutcome(t, rep, "inclusion", Pass)
}

// TestZKP: private readings carry commitments; a range proof about the
// reading's commitment travels in the bundle and verifies with the
// trusted key of its shape, and only for the bundle's own reading.
func TestZKP(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a circuit and runs a Groth16 setup")
	}
	ctx := context.Background()
	cc, err := zkp.Compile(zkp.ReadingShape(16), zkp.Groth16)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := zkp.UnsafeSetup(cc, []byte("evidence test"))
	if err != nil {
		t.Fatal(err)
	}
	openings := map[int]zkp.Opening{}
	l := openLog(t, "example.com/iotrust/zkp-test", 7)
	b := newBatchWith(t, 8, func(i int, r *reading.Reading) {
		v, err := zkp.Celsius().Encode("4.5")
		if err != nil {
			t.Fatal(err)
		}
		c, o, err := zkp.Commit(v+uint64(i), nil)
		if err != nil {
			t.Fatal(err)
		}
		openings[i] = o
		r.Value, r.Scale, r.Unit, r.Commitment = 0, 2, "Cel", c[:]
	}, l)
	bd := b.bundle(t, 5)
	c, _ := zkp.ParseCommitment(b.readings[5].Commitment)
	iv := zkp.Interval{Lo: openings[5].Value - 100, Hi: openings[5].Value + 100}
	proof, err := zkp.Prove(pk, zkp.ReadingClaim{Interval: iv, Commitment: c}, []zkp.Opening{openings[5]})
	if err != nil {
		t.Fatal(err)
	}
	bd.ZKP = &ZKProof{Claim: Claim{Kind: zkp.KindReading, Intervals: []zkp.Interval{iv}}, Proof: proof}
	file, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	trust := b.trust()
	trust.ZKPKeys = []*zkp.VerifyingKey{vk}
	rep := Verify(ctx, back, trust)
	if !rep.OK() {
		t.Fatalf("bundle with a proof:\n%s", rep)
	}
	wantOutcome(t, rep, "zkp", Pass)

	// A claim the proof does not prove.
	narrow := back.clone()
	narrow.ZKP = &ZKProof{Claim: Claim{Kind: zkp.KindReading, Intervals: []zkp.Interval{{Lo: iv.Lo, Hi: openings[5].Value - 1}}}, Proof: proof}
	wantOutcome(t, Verify(ctx, narrow, trust), "zkp", Fail)

	// The proof moved to the bundle of another reading of the batch.
	moved := b.bundle(t, 6)
	moved.ZKP = back.ZKP
	rep = Verify(ctx, moved, trust)
	wantOutcome(t, rep, "zkp", Fail)
	wantOutcome(t, rep, "reading[0]", Pass)
	if ch, _ := rep.Check("zkp"); !errors.Is(ch.Err, zkp.ErrVerify) {
		t.Errorf("zkp check error %v", ch.Err)
	}

	// No trusted key of the proof's shape: skipped, not failed.
	rep = Verify(ctx, back, b.trust())
	wantOutcome(t, rep, "zkp", Skip)
	if !rep.OK() {
		t.Fatalf("skipped proof fails the bundle:\n%s", rep)
	}

	// A proof needs committed readings.
	plain := newBatch(t, 4, l)
	pb := plain.bundle(t, 1)
	pb.ZKP = back.ZKP
	if err := pb.Validate(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("proof about a reading with a value: %v", err)
	}
}
