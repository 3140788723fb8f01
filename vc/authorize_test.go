package vc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/did"
)

func TestAuthorize(t *testing.T) {
	f := newFixture(t, did.Ed25519)
	now := t0
	a := NewAuthorizer(func() time.Time { return now }, time.Minute)
	dev := f.device.DID()

	if err := a.Authorize(ctx, dev, ActionPublish, "sensors/x/temperature"); !errors.Is(err, ErrDenied) {
		t.Fatalf("before admission: %v", err)
	}
	got, err := f.verifier.Verify(ctx, f.issue(t, FormatJWT, f.credential()))
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
