package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// sensor is the vibration sensor on pump P-7 and the OEM that certified it.
type sensor struct {
	oem    *vc.Issuer
	key    did.PrivateKey
	did    string
	holder *vc.Holder
	cred   string // its credential, a JWT
}

// provision makes the OEM's and the sensor's keys and the sensor's
// credential: what it is and the one topic it may publish on.
func provision(validFrom time.Time) (*sensor, error) {
	oemKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	s := &sensor{}
	if s.oem, err = vc.NewIssuer(oemKey); err != nil {
		return nil, err
	}
	if s.key, err = did.Ed25519.GenerateKey(nil); err != nil {
		return nil, err
	}
	if s.holder, err = vc.NewHolder(s.key); err != nil {
		return nil, err
	}
	s.did = s.holder.DID()
	s.cred, err = s.oem.IssueJWT(vc.DeviceCredential{
		Subject: s.did, Manufacturer: "Pumpenwerk", Model: "VS-100", SerialNumber: "VS100-7731",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("VS-100 firmware 3.0.2")),
		Roles:        vc.Roles{Publish: []string{sensorTopic}},
		Claims:       vc.Claims{"asset": asset, "mounting": "drive-end bearing"},
		ValidFrom:    validFrom, ValidUntil: validFrom.AddDate(3, 0, 0),
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// admit is the gateway's side of admission: the sensor presents its
// credential on the gateway's challenge, and the gateway lets it publish on
// the topics the credential names.
func admit(ctx context.Context, s *sensor, clk *devnet.Clock) (*vc.Authorizer, error) {
	key, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	gateway, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: gateway, TrustedIssuers: []string{s.oem.DID()}, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	challenge, err := adm.Challenge()
	if err != nil {
		return nil, err
	}
	vp, err := s.holder.PresentJWT([][]byte{[]byte(s.cred)}, challenge, clk.Now())
	if err != nil {
		return nil, err
	}
	if _, err := adm.Admit(ctx, []byte(vp)); err != nil {
		return nil, fmt.Errorf("admitting the sensor: %w", err)
	}
	return adm.Authorizer(), nil
}

// vibration is the sensor's signal at second i, in hundredths of mm/s:
// about 2.4 mm/s with noise, and from minute 7 a bearing fault that adds up
// to 6.5 mm/s by minute 10.
func vibration(rng *rand.Rand, i int) int64 {
	v := int64(210 + rng.IntN(60))
	if i >= 420 {
		v += int64(i-420) * 650 / 180
	}
	return v
}

// stream signs the sensor's readings and hands them to the gateway a minute
// at a time, as an MQTT bridge would. A monitor watches what the gateway
// acknowledged and returns the first reading at or above the threshold.
// Two hostile readings at the end are refused.
func stream(ctx context.Context, p printer, s *sensor, gw *batch.Gateway, path *mqttgw.BrokerPath, clk *devnet.Clock) (reading.Signed, error) {
	rng := rand.New(rand.NewPCG(7, 31))
	var (
		minute []reading.Signed
		alarm  reading.Signed
		last   reading.Signed
	)
	for i := range readings {
		at := streamStart.Add(time.Duration(i) * time.Second)
		r, err := reading.Sign(s.key, reading.Reading{
			Device: s.did, Topic: sensorTopic, Seq: uint64(i + 1), Time: at,
			Sensor: "vibration-velocity-rms", Value: vibration(rng, i), Scale: 2, Unit: "mm/s",
			Metadata: map[string]string{"asset": asset},
		})
		if err != nil {
			return alarm, err
		}
		if minute = append(minute, r); len(minute) < 60 {
			continue
		}
		clk.Set(at)
		if path != nil { // through the broker (-mqtt)
			if err := path.Send(ctx, minute); err != nil {
				return alarm, err
			}
		} else {
			for j, err := range gw.SubmitBatch(ctx, minute) {
				if err != nil {
					return alarm, fmt.Errorf("the gateway refused reading %d: %w", minute[j].Seq, err)
				}
			}
		}
		if alarm.Signature == nil {
			if k := slices.IndexFunc(minute, func(r reading.Signed) bool { return r.Value >= threshold }); k >= 0 {
				alarm = minute[k]
				p.f("   %s  %s mm/s ≥ %s: alarm (reading %d)", alarm.Time.Format(time.TimeOnly), centi(alarm.Value), centi(threshold), alarm.Seq)
			}
		}
		last, minute = minute[len(minute)-1], nil
	}
	if alarm.Signature == nil {
		return alarm, errors.New("the fault never crossed the threshold")
	}

	// A reading edited after signing, and one on another pump's topic.
	forged := last
	forged.Seq++
	forged.Value = 150
	errForged := gw.Submit(ctx, forged)
	if !errors.Is(errForged, reading.ErrBadSignature) {
		return alarm, fmt.Errorf("a forged reading was not refused: %v", errForged)
	}
	other, err := reading.Sign(s.key, reading.Reading{
		Device: s.did, Topic: "plant-3/pump-8/vibration", Seq: last.Seq + 1, Time: last.Time,
		Sensor: "vibration-velocity-rms", Value: 230, Scale: 2, Unit: "mm/s",
	})
	if err != nil {
		return alarm, err
	}
	errOther := gw.Submit(ctx, other)
	if !errors.Is(errOther, batch.ErrUnauthorized) {
		return alarm, fmt.Errorf("a reading on another pump's topic was not refused: %v", errOther)
	}
	p.f("   %d readings acknowledged; refused: one edited after signing (%s), one on pump 8's topic (%s)",
		readings, batch.ReasonOf(errForged), batch.ReasonOf(errOther))
	return alarm, nil
}

// waitFinal waits until n batches are anchored with final receipts and
// returns them, oldest first.
func waitFinal(ctx context.Context, p printer, gw *batch.Gateway, n int) ([]batch.BatchInfo, error) {
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	infos, err := gw.WaitFinal(ctx, n)
	if err != nil {
		return nil, err
	}
	for _, b := range infos {
		c := b.Commitment
		p.f("   batch %d  %s–%s  %d readings  root %s…  log entry %d, %s",
			b.Number, c.WindowStart.Format(time.TimeOnly), c.WindowEnd.Format(time.TimeOnly), c.Count,
			c.Root.String()[:19], b.Receipts[0].Position, b.Receipts[0].State)
	}
	p.f("   all %d batches sealed, stored encrypted and anchored final after %.1f s", n, time.Since(began).Seconds())
	return infos, nil
}

// centi formats hundredths.
func centi(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }
