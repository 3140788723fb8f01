package vc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

// A manufacturer issues a device credential, the device presents it to a
// gateway against the gateway's nonce, and the gateway authorizes topics.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	mfrKey, _ := did.Ed25519.GenerateKey(nil)
	devKey, _ := did.Ed25519.GenerateKey(nil)
	manufacturer, _ := vc.NewIssuer(mfrKey)
	device, _ := vc.NewHolder(devKey)

	credential, err := manufacturer.IssueJWT(vc.DeviceCredential{
		Subject:      device.DID(),
		Manufacturer: "Acme Sensors",
		Model:        "TX-1",
		SerialNumber: "SN-000123",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware 1.4.2")),
		Roles:        vc.Roles{Publish: []string{"sensors/+/temperature"}},
		ValidFrom:    now.Add(-time.Hour),
		ValidUntil:   now.Add(365 * 24 * time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The gateway's challenges come from its did.Authenticator, the one
	// store of single-use nonces.
	const gatewayDID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	gateway, _ := did.NewAuthenticator(did.AuthConfig{Verifier: gatewayDID, Now: clock})
	challenge, _ := gateway.NewChallenge()
	vp, _ := device.PresentJWT([][]byte{[]byte(credential)}, challenge, now)

	verifier := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{manufacturer.DID()}, Now: clock})
	verified, err := verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, gateway)
	if err != nil {
		fmt.Println(err)
		return
	}
	authz, _ := vc.NewAuthorizer(vc.AuthorizerConfig{Now: clock, ClockSkew: time.Minute})
	authz.Admit(verified.Credentials...)

	fmt.Println(authz.Authorize(ctx, verified.Holder, vc.ActionPublish, "sensors/dev1/temperature") == nil)
	err = authz.Authorize(ctx, verified.Holder, vc.ActionCommand, "actuators/valve/1")
	fmt.Println(errors.Is(err, vc.ErrDenied))
	_, err = verifier.VerifyPresentation(ctx, []byte(vp), gatewayDID, gateway) // replay
	fmt.Println(errors.Is(err, vc.ErrChallenge))
	// Output:
	// true
	// true
	// true
}

func ExampleTopicMatches() {
	fmt.Println(vc.TopicMatches("sensors/+/temperature", "sensors/dev1/temperature"))
	fmt.Println(vc.TopicMatches("fleet/#", "fleet"))
	fmt.Println(vc.TopicMatches("#", "$SYS/uptime"))
	// Output:
	// true
	// true
	// false
}

// An EV charging station admits a car whose credential carries typed
// application claims, and lets it charge at no more than the power the
// credential states; the charger's own credential names its meter model,
// which the car's side checks with a policy of its own.
func ExampleAuthorizer_Allow() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	oemKey, _ := did.Ed25519.GenerateKey(nil)
	carKey, _ := did.Ed25519.GenerateKey(nil)
	chargerKey, _ := did.Ed25519.GenerateKey(nil)
	oem, _ := vc.NewIssuer(oemKey)
	car, _ := did.New(carKey.Public())
	charger, _ := did.New(chargerKey.Public())
	issue := func(subject string, claims vc.Claims) *vc.VerifiedCredential {
		raw, err := oem.IssueDataIntegrity(vc.DeviceCredential{
			Subject:      subject,
			FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware")),
			Claims:       claims,
			ValidFrom:    now.Add(-time.Hour),
			ValidUntil:   now.Add(24 * time.Hour),
		}, now)
		if err != nil {
			panic(err)
		}
		v := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{oem.DID()}, Now: clock})
		verified, err := v.Verify(ctx, raw)
		if err != nil {
			panic(err)
		}
		return verified
	}
	carCred := issue(car, vc.Claims{"vin": "WVWZZZ1JZXW000001", "contractID": "EMP-DE-8AA-1234567-8", "maxPowerW": 11000})
	chargerCred := issue(charger, vc.Claims{"meterModel": "EM-340-MID"})

	const charge, trust vc.Action = "charge", "trust-meter"
	approvedMeter := func(_ context.Context, c *vc.VerifiedCredential, _ vc.Request) error {
		model, err := c.Claims.String("meterModel")
		if err != nil || model != "EM-340-MID" {
			return errors.New("meter model not approved")
		}
		return nil
	}
	authz, _ := vc.NewAuthorizer(vc.AuthorizerConfig{Now: clock, Policies: map[vc.Action]vc.Policy{
		charge: vc.AtMost("maxPowerW", "powerW"),
		trust:  approvedMeter,
	}})
	authz.Admit(carCred, chargerCred)

	vin, _ := carCred.Claims.String("vin")
	fmt.Println(vin)
	fmt.Println(authz.Allow(ctx, car, vc.Request{Action: charge, Resource: charger, Params: vc.Claims{"powerW": 7400}}))
	err := authz.Allow(ctx, car, vc.Request{Action: charge, Resource: charger, Params: vc.Claims{"powerW": 22000}})
	fmt.Println(errors.Is(err, vc.ErrDenied))
	fmt.Println(authz.Allow(ctx, charger, vc.Request{Action: trust}))
	// Output:
	// WVWZZZ1JZXW000001
	// <nil>
	// true
	// <nil>
}

// A Data Integrity credential verifies exactly as signed: a member its
// JSON-LD contexts do not define would be dropped before signing, so
// adding one after signing leaves the signature valid — and the verifier
// refuses the credential instead of handing the member on.
func ExampleVerifier_Verify_undefinedTerm() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	mfrKey, _ := did.Ed25519.GenerateKey(nil)
	devKey, _ := did.Ed25519.GenerateKey(nil)
	mfr, _ := vc.NewIssuer(mfrKey)
	dev, _ := did.New(devKey.Public())
	raw, _ := mfr.IssueDataIntegrity(vc.DeviceCredential{
		Subject:      dev,
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("firmware")),
		Roles:        vc.Roles{Publish: []string{"sensors/+/temperature"}},
		ValidFrom:    now.Add(-time.Hour),
		ValidUntil:   now.Add(time.Hour),
	}, now)
	v := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{mfr.DID()}, Now: func() time.Time { return now }})
	_, err := v.Verify(ctx, raw)
	fmt.Println(err)

	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	doc["credentialSubject"].(map[string]any)["admin"] = true
	tampered, _ := json.Marshal(doc)
	_, err = v.Verify(ctx, tampered)
	fmt.Println(errors.Is(err, vc.ErrUndefinedTerm))
	// Output:
	// <nil>
	// true
}
