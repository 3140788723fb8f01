package vc_test

import (
	"context"
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
