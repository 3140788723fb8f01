package vc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

func TestAuthorize(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	now := t0
	a, err := NewAuthorizer(AuthorizerConfig{Now: func() time.Time { return now }, ClockSkew: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	dev := f.device.DID()

	if err := a.Authorize(ctx, dev, ActionPublish, "sensors/x/temperature"); !errors.Is(err, ErrDenied) {
		t.Fatalf("before admission: %v", err)
	}
	var got *VerifiedCredential
	got, err = f.verifier.Verify(ctx, f.issue(t, FormatJWT, f.credential()))
	if err != nil {
		t.Fatal(err)
	}
	a.Admit(got)
	cases := []struct {
		action Action
		topic  string
		allow  bool
	}{
		{ActionPublish, "sensors/dev1/temperature", true},
		{ActionPublish, "sensors/dev1/humidity", false},
		{ActionPublish, "sensors/temperature", false},
		{ActionPublish, "fleet/acme", true}, // "fleet/acme/#" covers its parent
		{ActionPublish, "fleet/acme/a/b/c", true},
		{ActionPublish, "fleet/acmex", false},
		{ActionRead, "config/TX-1", true},
		{ActionRead, "config/TX-2", false},
		{ActionRead, "sensors/dev1/temperature", false}, // publish grant, not read
		{ActionCommand, "actuators/valve/7", true},
		{ActionCommand, "actuators/valve/7/extra", false},
		{ActionCommand, "actuators/valve/+", false}, // a filter is not a topic
		{Action("delete"), "sensors/dev1/temperature", false},
		{ActionPublish, "", false},
	}
	for _, c := range cases {
		err := a.Authorize(ctx, dev, c.action, c.topic)
		if c.allow != (err == nil) || (err != nil && !errors.Is(err, ErrDenied)) {
			t.Errorf("%s %q: err = %v, want allow=%v", c.action, c.topic, err, c.allow)
		}
		// Allow decides topic actions exactly as Authorize does.
		err = a.Allow(ctx, dev, Request{Action: c.action, Resource: c.topic})
		if c.allow != (err == nil) || (err != nil && !errors.Is(err, ErrDenied)) {
			t.Errorf("Allow %s %q: err = %v, want allow=%v", c.action, c.topic, err, c.allow)
		}
	}
	// Another subject gets nothing from this credential.
	if err := a.Authorize(ctx, f.issuer.DID(), ActionPublish, "sensors/dev1/temperature"); !errors.Is(err, ErrDenied) {
		t.Fatalf("other subject: %v", err)
	}
	// The reason is given.
	err = a.Authorize(ctx, dev, ActionRead, "config/TX-2")
	if err == nil || !strings.Contains(err.Error(), "no read grant") {
		t.Fatalf("reason: %v", err)
	}
	// Once the credential expires, it stops granting.
	now = got.ValidUntil.Add(2 * time.Minute)
	if err := a.Authorize(ctx, dev, ActionPublish, "sensors/dev1/temperature"); !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "validity") {
		t.Fatalf("expired: %v", err)
	}
	now = t0
	a.Forget(dev)
	if err := a.Authorize(ctx, dev, ActionPublish, "sensors/dev1/temperature"); !errors.Is(err, ErrDenied) {
		t.Fatalf("after Forget: %v", err)
	}
}

// TestPolicies: application actions are decided by caller-registered
// policies over the credentials' typed claims — an EV charging session at
// no more than the car's maximum power.
func TestPolicies(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	c := f.credential()
	c.Claims = Claims{"vin": "WVWZZZ1JZXW000001", "contractID": "EMP-DE-8AA-1234567-8", "maxPowerW": 11000}
	var creds []*VerifiedCredential
	for _, format := range []Format{FormatJWT, FormatDataIntegrity} {
		got, err := f.verifier.Verify(ctx, f.issue(t, format, c))
		if err != nil {
			t.Fatal(err)
		}
		creds = append(creds, got)
	}
	contractIs := func(_ context.Context, cred *VerifiedCredential, req Request) error {
		id, err := cred.Claims.String("contractID")
		if err != nil {
			return err
		}
		if id != req.Resource {
			return fmt.Errorf("contract %q, asked for %q", id, req.Resource)
		}
		return nil
	}
	const charge, bill Action = "charge", "bill"
	for _, cred := range creds {
		now := t0
		a, err := NewAuthorizer(AuthorizerConfig{
			Now:      func() time.Time { return now },
			Policies: map[Action]Policy{charge: AtMost("maxPowerW", "powerW"), bill: contractIs},
		})
		if err != nil {
			t.Fatal(err)
		}
		dev := f.device.DID()
		a.Admit(cred)
		for _, tc := range []struct {
			name string
			req  Request
			want error // nil: allowed
		}{
			{"within max power", Request{Action: charge, Resource: "charger-7", Params: Claims{"powerW": 7400}}, nil},
			{"at max power", Request{Action: charge, Resource: "charger-7", Params: Claims{"powerW": int64(11000)}}, nil},
			{"above max power", Request{Action: charge, Resource: "charger-7", Params: Claims{"powerW": 22000}}, ErrDenied},
			{"power not given", Request{Action: charge, Resource: "charger-7"}, ErrNoClaim},
			{"power of the wrong type", Request{Action: charge, Resource: "charger-7", Params: Claims{"powerW": "7400"}}, ErrNoClaim},
			{"bad parameter", Request{Action: charge, Params: Claims{"power W": 1}}, ErrInvalidClaims},
			{"own contract", Request{Action: bill, Resource: "EMP-DE-8AA-1234567-8"}, nil},
			{"another contract", Request{Action: bill, Resource: "EMP-DE-8AA-0000000-0"}, ErrDenied},
			{"action without policy", Request{Action: "unlock", Resource: "door"}, ErrDenied},
			{"resource too long", Request{Action: bill, Resource: strings.Repeat("x", MaxResourceLength+1)}, ErrDenied},
		} {
			err := a.Allow(ctx, dev, tc.req)
			if tc.want == nil && err != nil || tc.want != nil && (!errors.Is(err, tc.want) || !errors.Is(err, ErrDenied)) {
				t.Errorf("%s %s: err = %v, want %v", cred.Format, tc.name, err, tc.want)
			}
		}
		if err := a.Allow(ctx, f.issuer.DID(), Request{Action: charge, Params: Claims{"powerW": 1}}); !errors.Is(err, ErrDenied) {
			t.Errorf("another subject: %v", err)
		}
		now = cred.ValidUntil.Add(time.Hour)
		if err := a.Allow(ctx, dev, Request{Action: charge, Params: Claims{"powerW": 1}}); !errors.Is(err, ErrDenied) {
			t.Errorf("expired credential: %v", err)
		}
	}
	for name, cfg := range map[string]AuthorizerConfig{
		"nil policy":           {Policies: map[Action]Policy{charge: nil}},
		"policy for publish":   {Policies: map[Action]Policy{ActionPublish: contractIs}},
		"policy for no action": {Policies: map[Action]Policy{"": contractIs}},
	} {
		if _, err := NewAuthorizer(cfg); !errors.Is(err, ErrDenied) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
