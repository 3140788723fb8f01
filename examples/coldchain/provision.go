package main

import (
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

// sensor is a device on the shipment: its key, its DID and the credential
// its manufacturer issued it (none for the rogue).
type sensor struct {
	name       string
	key        did.PrivateKey
	did        string
	credential string // compact JWT
	private    bool   // commits to its values instead of reporting them
}

// fleet is everything the manufacturer and the shipment's parties set up.
type fleet struct {
	manufacturer *vc.Issuer
	logger       *sensor // the carrier's data logger in the cargo: private
	reefer       *sensor // the refrigeration unit's sensor: public values
	rogue        *sensor // a sensor nobody issued a credential to
}

// provision makes the sensors' keys and has the manufacturer issue their
// device credentials: who made them, which firmware they run and which
// topics they may publish on.
func provision(p *printer) (*fleet, error) {
	mfrKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	mfr, err := vc.NewIssuer(mfrKey)
	if err != nil {
		return nil, err
	}
	f := &fleet{manufacturer: mfr}
	p.f("   manufacturer %s issues device credentials (JWT, EdDSA)\n", short(mfr.DID()))
	now := time.Now()
	for _, s := range []struct {
		dst            **sensor
		name, model    string
		scheme         did.SchemeID
		private, issue bool
	}{
		{&f.logger, "logger", "TL-16", did.Ed25519, true, true},
		{&f.reefer, "reefer", "RF-2", did.P256, false, true},
		{&f.rogue, "rogue", "", did.Ed25519, false, false},
	} {
		key, err := s.scheme.GenerateKey(nil)
		if err != nil {
			return nil, err
		}
		id, err := did.New(key.Public())
		if err != nil {
			return nil, err
		}
		*s.dst = &sensor{name: s.name, key: key, did: id, private: s.private}
		if !s.issue {
			continue
		}
		(*s.dst).credential, err = mfr.IssueJWT(vc.DeviceCredential{
			Subject:      id,
			Manufacturer: "Example Sensors",
			Model:        s.model,
			SerialNumber: "SN-" + s.name + "-0042",
			FirmwareHash: canon.Sum(canon.BLAKE3, []byte(s.model+" firmware 2.1.0")),
			Roles:        vc.Roles{Publish: []string{topic + "/#"}},
			ValidFrom:    now.Add(-30 * 24 * time.Hour),
			ValidUntil:   now.Add(365 * 24 * time.Hour),
		})
		if err != nil {
			return nil, err
		}
		kind := "public values"
		if s.private {
			kind = "private: signs commitments, the carrier keeps the values"
		}
		p.f("   %-7s %-8s %s  %s\n", s.name, s.scheme.Name(), short(id), kind)
	}
	return f, nil
}
