package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/vc"
)

const (
	vin          = "WVWZZZ1JZXW000001"
	contractID   = "DE-8AA-C12345678-9"
	meterModel   = "EM-340-MID"
	actionCharge = vc.Action("charge")
	actionMeter  = vc.Action("meter-session")
)

// identities are the parties' keys and credentials.
type identities struct {
	meterMaker, carMaker *vc.Issuer
	charger              string // the charger's DID
	chargerKey           did.PrivateKey
	chargerHolder, car   *vc.Holder
	carKey               did.PrivateKey
	meterCred, carCred   string // JWT credentials
	carAccount           string // did:pkh of the account that pays
	chargerAccount       string // did:pkh of the account that is paid
}

// provision makes the DIDs and credentials: the meter maker certifies the
// charger's meter, the car maker the car's Plug & Charge contract. Each
// credential names its holder's payment account as a did:pkh.
func provision(chainID uint64, carWallet, chargerWallet *ecdsa.PrivateKey, validFrom time.Time) (*identities, error) {
	keys := make([]did.PrivateKey, 4)
	for i := range keys {
		k, err := did.Ed25519.GenerateKey(nil)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	id := &identities{chargerKey: keys[2], carKey: keys[3],
		carAccount:     pkh(chainID, carWallet),
		chargerAccount: pkh(chainID, chargerWallet),
	}
	var err error
	if id.meterMaker, err = vc.NewIssuer(keys[0]); err != nil {
		return nil, err
	}
	if id.carMaker, err = vc.NewIssuer(keys[1]); err != nil {
		return nil, err
	}
	if id.chargerHolder, err = vc.NewHolder(keys[2]); err != nil {
		return nil, err
	}
	id.charger = id.chargerHolder.DID()
	if id.car, err = vc.NewHolder(keys[3]); err != nil {
		return nil, err
	}
	validUntil := validFrom.AddDate(2, 0, 0)
	id.meterCred, err = id.meterMaker.IssueJWT(vc.DeviceCredential{
		Subject: id.charger, Manufacturer: "Meterwerk", Model: "EM-340", SerialNumber: "EM340-220417",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("EM-340 firmware 2.1.0")),
		Roles:        vc.Roles{Publish: []string{meterTopic}},
		Claims:       vc.Claims{"meterModel": meterModel, "account": id.chargerAccount},
		ValidFrom:    validFrom, ValidUntil: validUntil,
	})
	if err != nil {
		return nil, err
	}
	id.carCred, err = id.carMaker.IssueJWT(vc.DeviceCredential{
		Subject: id.car.DID(), Manufacturer: "Volta Motors", Model: "E3", SerialNumber: vin,
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("E3 charge controller 4.2")),
		Claims: vc.Claims{"vin": vin, "contractID": contractID, "maxPowerW": maxPowerW,
			"account": id.carAccount},
		ValidFrom: validFrom, ValidUntil: validUntil,
	})
	if err != nil {
		return nil, err
	}
	return id, nil
}

// pkh names an Ethereum account on a chain as a DID.
func pkh(chainID uint64, k *ecdsa.PrivateKey) string {
	return fmt.Sprintf("did:pkh:eip155:%d:%s", chainID, crypto.PubkeyToAddress(k.PublicKey).Hex())
}

// plugIn authenticates both sides to each other and decides the charging
// power. It returns the car's verified credential.
func plugIn(ctx context.Context, p printer, id *identities, clk *devnet.Clock) (*vc.VerifiedCredential, error) {
	// The charger challenges the car; the car answers with a presentation
	// of its credential bound to the challenge's nonce.
	chargerAuth, err := did.NewAuthenticator(did.AuthConfig{Verifier: id.charger, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	challenge, err := chargerAuth.NewChallenge()
	if err != nil {
		return nil, err
	}
	vp, err := id.car.PresentJWT([][]byte{[]byte(id.carCred)}, challenge, clk.Now())
	if err != nil {
		return nil, err
	}
	carMakers := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{id.carMaker.DID()}, Now: clk.Now})
	car, err := carMakers.VerifyPresentation(ctx, []byte(vp), id.charger, chargerAuth)
	if err != nil {
		return nil, fmt.Errorf("the car's presentation: %w", err)
	}
	_, replay := carMakers.VerifyPresentation(ctx, []byte(vp), id.charger, chargerAuth)
	if !errors.Is(replay, vc.ErrChallenge) {
		return nil, fmt.Errorf("a replayed presentation was not refused: %v", replay)
	}
	p.f("   car → charger: credential presented on the charger's challenge: ok; replayed: refused")

	// The car challenges the charger and accepts only an approved meter.
	carAuth, err := did.NewAuthenticator(did.AuthConfig{Verifier: id.car.DID(), Now: clk.Now})
	if err != nil {
		return nil, err
	}
	if challenge, err = carAuth.NewChallenge(); err != nil {
		return nil, err
	}
	if vp, err = id.chargerHolder.PresentJWT([][]byte{[]byte(id.meterCred)}, challenge, clk.Now()); err != nil {
		return nil, err
	}
	meterMakers := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{id.meterMaker.DID()}, Now: clk.Now})
	meter, err := meterMakers.VerifyPresentation(ctx, []byte(vp), id.car.DID(), carAuth)
	if err != nil {
		return nil, fmt.Errorf("the charger's presentation: %w", err)
	}
	approved := func(_ context.Context, c *vc.VerifiedCredential, _ vc.Request) error {
		if m, err := c.Claims.String("meterModel"); err != nil || m != meterModel {
			return fmt.Errorf("meter model %q is not approved", m)
		}
		return nil
	}
	carSide, err := vc.NewAuthorizer(vc.AuthorizerConfig{Now: clk.Now, Policies: map[vc.Action]vc.Policy{actionMeter: approved}})
	if err != nil {
		return nil, err
	}
	carSide.Admit(meter.Credentials...)
	if err := carSide.Allow(ctx, id.charger, vc.Request{Action: actionMeter, Resource: sessionID}); err != nil {
		return nil, err
	}
	p.f("   charger → car: meter credential presented on the car's challenge: %s approved", meterModel)

	// The charger's policy: no more power than the car's credential states.
	chargerSide, err := vc.NewAuthorizer(vc.AuthorizerConfig{Now: clk.Now,
		Policies: map[vc.Action]vc.Policy{actionCharge: vc.AtMost("maxPowerW", "powerW")}})
	if err != nil {
		return nil, err
	}
	chargerSide.Admit(car.Credentials...)
	tooMuch := chargerSide.Allow(ctx, car.Holder, vc.Request{Action: actionCharge, Resource: chargerID, Params: vc.Claims{"powerW": 22000}})
	if !errors.Is(tooMuch, vc.ErrDenied) {
		return nil, fmt.Errorf("charging at 22 kW was not refused: %v", tooMuch)
	}
	if err := chargerSide.Allow(ctx, car.Holder, vc.Request{Action: actionCharge, Resource: chargerID, Params: vc.Claims{"powerW": maxPowerW}}); err != nil {
		return nil, err
	}
	p.f("   car asks for 22000 W: refused (credential allows %d W); charging at %d W: allowed", maxPowerW, maxPowerW)
	return car.Credentials[0], nil
}

// admitMeter is the CPO gateway's side: the charger presents its meter
// credential on the gateway's challenge, and the gateway lets it publish on
// the topics the credential names.
func admitMeter(ctx context.Context, id *identities, clk *devnet.Clock) (*vc.Authorizer, error) {
	key, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	gateway, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: gateway, TrustedIssuers: []string{id.meterMaker.DID()}, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	challenge, err := adm.Challenge()
	if err != nil {
		return nil, err
	}
	vp, err := id.chargerHolder.PresentJWT([][]byte{[]byte(id.meterCred)}, challenge, clk.Now())
	if err != nil {
		return nil, err
	}
	if _, err := adm.Admit(ctx, []byte(vp)); err != nil {
		return nil, fmt.Errorf("admitting the charger at the gateway: %w", err)
	}
	return adm.Authorizer(), nil
}
