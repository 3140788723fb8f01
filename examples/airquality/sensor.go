package main

import (
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// Topics of the programme: where sensors are, and what they measure.
const (
	topicPosition = "air/lyon/position"
	topicPM25     = "air/lyon/pm25"
)

// sensor is a citizen's air-quality sensor: a device key and its DID, the
// owner's Ethereum account (which bonds the stake), and its position, which
// only the owner knows: the sensor publishes commitments to it.
type sensor struct {
	name     string
	key      did.PrivateKey
	did      string
	owner    *ecdsa.PrivateKey
	account  common.Address
	lat, lon string        // the true position, private
	opening  []zkp.Opening // of the position commitments: latitude, longitude
	position []reading.Signed
	seq      uint64
}

func newSensor(name, lat, lon string) (*sensor, error) {
	key, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	id, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	owner, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	return &sensor{name: name, key: key, did: id, owner: owner, account: crypto.PubkeyToAddress(owner.PublicKey), lat: lat, lon: lon}, nil
}

// commitPosition commits to the sensor's latitude and longitude (fresh
// random salts) and signs the two commitments as readings.
func (s *sensor) commitPosition(at time.Time) error {
	s.opening, s.position = nil, nil
	for _, c := range []struct{ sensor, deg string }{{"position-lat", s.lat}, {"position-lon", s.lon}} {
		v, err := degrees().Encode(c.deg)
		if err != nil {
			return err
		}
		commitment, opening, err := zkp.Commit(v, nil)
		if err != nil {
			return err
		}
		s.seq++
		r, err := reading.Sign(s.key, reading.Reading{
			Device: s.did, Topic: topicPosition, Seq: s.seq, Time: at,
			Sensor: c.sensor, Scale: int8(degrees().Decimals), Unit: "deg", Commitment: commitment[:],
		})
		if err != nil {
			return err
		}
		s.opening = append(s.opening, opening)
		s.position = append(s.position, r)
	}
	return nil
}

// proveZone proves, for the commitments of b's readings (the sensor's two
// position readings, in b's order), that they lie in z, and attaches the
// proof to b. A sensor outside z gets zkp.ErrOutOfRange and no proof.
func (s *sensor) proveZone(pk *zkp.ProvingKey, z zone, b *evidence.Bundle) error {
	intervals := make([]zkp.Interval, len(b.Readings))
	commitments := make([]zkp.Commitment, len(b.Readings))
	openings := make([]zkp.Opening, len(b.Readings))
	for i, r := range b.Readings {
		j := map[string]int{"position-lat": 0, "position-lon": 1}[r.Sensor]
		intervals[i] = [2]zkp.Interval{z.lat, z.lon}[j]
		openings[i] = s.opening[j]
		var err error
		if commitments[i], err = zkp.ParseCommitment(r.Commitment); err != nil {
			return err
		}
	}
	proof, err := zkp.Prove(pk, zkp.BoxClaim{Intervals: intervals, Commitments: commitments}, openings)
	if err != nil {
		return err
	}
	b.ZKP = &evidence.ZKProof{Claim: evidence.Claim{Kind: zkp.KindBox, Intervals: intervals}, Proof: proof}
	return b.Validate()
}

// sample signs a PM2.5 reading in tenths of µg/m³.
func (s *sensor) sample(at time.Time, tenths int64) (reading.Signed, error) {
	s.seq++
	return reading.Sign(s.key, reading.Reading{
		Device: s.did, Topic: topicPM25, Seq: s.seq, Time: at,
		Sensor: "pm25", Value: tenths, Scale: 1, Unit: "ug/m3",
	})
}

// inZone reports whether the bundle proves that sensor d lies in z: its two
// readings are d's position commitments, latitude and longitude, and its
// proof claims exactly z's box. The proof itself is checked by
// evidence.Verify with the zone's verifying key.
func inZone(b *evidence.Bundle, d string, z zone) error {
	if len(b.Readings) != 2 || b.ZKP == nil || b.ZKP.Claim.Kind != zkp.KindBox {
		return fmt.Errorf("not a zone proof")
	}
	for i, r := range b.Readings {
		want := map[string]zkp.Interval{"position-lat": z.lat, "position-lon": z.lon}
		iv, ok := want[r.Sensor]
		if r.Device != d || r.Topic != topicPosition || !ok || b.ZKP.Claim.Intervals[i] != iv {
			return fmt.Errorf("reading %d is not %s's %s inside %s", i, d, r.Sensor, z.name)
		}
	}
	if b.Readings[0].Sensor == b.Readings[1].Sensor {
		return fmt.Errorf("two %s readings", b.Readings[0].Sensor)
	}
	return nil
}
