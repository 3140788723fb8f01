package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: interop issue | verify ISSUERDID")
	}
	switch args[0] {
	case "issue":
		return issue()
	case "verify":
		if len(args) != 2 {
			return fmt.Errorf("usage: interop verify ISSUERDID")
		}
		raw, err := io.ReadAll(io.LimitReader(os.Stdin, vc.MaxCredentialSize+1))
		if err != nil {
			return err
		}
		v := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{args[1]}, ClockSkew: time.Minute})
		got, err := v.Verify(context.Background(), []byte(strings.TrimSpace(string(raw))))
		if err != nil {
			return err
		}
		fmt.Printf("verified %s from %s: model %s, publish %v\n", got.Subject, got.Issuer, got.Model, got.Roles.Publish)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func issue() error {
	now := time.Now().UTC()
	out := map[string]any{}
	for _, scheme := range []did.Scheme{did.Ed25519, did.P256} {
		key, err := scheme.GenerateKey(nil)
		if err != nil {
			return err
		}
		devKey, err := did.Ed25519.GenerateKey(nil)
		if err != nil {
			return err
		}
		is, err := vc.NewIssuer(key)
		if err != nil {
			return err
		}
		holder, err := vc.NewHolder(devKey)
		if err != nil {
			return err
		}
		tok, err := is.IssueJWT(vc.DeviceCredential{
			Subject:      holder.DID(),
			Manufacturer: "Acme Sensors",
			Model:        "TX-1",
			SerialNumber: "SN-1",
			FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware")),
			Roles:        vc.Roles{Publish: []string{"sensors/+/temperature"}},
			ValidFrom:    now.Add(-time.Hour),
			ValidUntil:   now.Add(time.Hour),
		})
		if err != nil {
			return err
		}
		jwk, err := did.NewJWK(key.Public())
		if err != nil {
			return err
		}
		// A gateway's challenge, as did.Authenticator.NewChallenge makes
		// one: the JavaScript side checks the presentation's "nonce" and
		// "aud" against its base64url nonce and verifier DID.
		nonce := make([]byte, did.NonceSize)
		if _, err := rand.Read(nonce); err != nil {
			return err
		}
		challenge := did.Challenge{Nonce: nonce, Verifier: "did:example:gateway", Expires: now.Add(5 * time.Minute)}
		vp, err := holder.PresentJWT([][]byte{[]byte(tok)}, challenge, now)
		if err != nil {
			return err
		}
		// Flip one claim byte inside the payload, keeping the signature.
		parts := strings.Split(tok, ".")
		p := []byte(parts[1])
		p[len(p)/2] ^= 0x01
		if p[len(p)/2] == '-' || p[len(p)/2] == '_' {
			p[len(p)/2] = 'A'
		}
		out[scheme.JWSAlgorithm()] = map[string]any{
			"issuer":    is.DID(),
			"kid":       is.KeyID(),
			"jwk":       jwk,
			"vc":        tok,
			"tampered":  parts[0] + "." + string(p) + "." + parts[2],
			"vp":        vp,
			"holder":    holder.DID(),
			"challenge": base64.RawURLEncoding.EncodeToString(nonce),
			"audience":  challenge.Verifier,
		}
	}
	// A key for the JavaScript side to issue with (did-jwt's EdDSASigner).
	jsKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return err
	}
	seed, _ := jsKey.MarshalBinary()
	jsDID, _ := did.New(jsKey.Public())
	jsKID, _ := did.VerificationMethodID(jsDID)
	devKey, _ := did.Ed25519.GenerateKey(nil)
	devDID, _ := did.New(devKey.Public())
	out["js"] = map[string]any{
		"seed":         hex.EncodeToString(seed),
		"issuer":       jsDID,
		"kid":          jsKID,
		"subject":      devDID,
		"firmwareHash": canon.Sum(canon.BLAKE3, []byte("js firmware")).String(),
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
