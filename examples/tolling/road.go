package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// road is the tolled motorway: its segments, one per roadside unit.
const road = "A13"

// segment is a tolled stretch of the road, between two kilometre posts.
type segment struct {
	name         string
	fromM, toM   int64 // metres from the road's start
	tunnel       bool  // the vehicle's on-board unit loses the radio link here
	topic        string
	lengthMetres uint64
}

func segments() []segment {
	s := []segment{
		{name: "seg-1", fromM: 0, toM: 5000},
		{name: "seg-2", fromM: 5000, toM: 12200},
		{name: "seg-3", fromM: 12200, toM: 20300, tunnel: true},
		{name: "seg-4", fromM: 20300, toM: 26700},
	}
	for i := range s {
		s[i].topic = "tolling/" + road + "/" + s[i].name
		s[i].lengthMetres = uint64(s[i].toM - s[i].fromM)
	}
	return s
}

// rsu is a roadside unit: a device key, its DID, and the credential the
// road operator issued it, which lets it publish passages of one segment.
type rsu struct {
	seg  segment
	key  did.PrivateKey
	did  string
	cred string // JWT
	seq  uint64
}

// newRSU provisions the roadside unit of seg with a credential from the
// operator.
func newRSU(operator *vc.Issuer, seg segment, now time.Time) (*rsu, error) {
	key, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	id, err := did.New(key.Public())
	if err != nil {
		return nil, err
	}
	cred, err := operator.IssueJWT(vc.DeviceCredential{
		Subject:      id,
		Manufacturer: "Example Roadside Systems",
		Model:        "RSU-5.9",
		SerialNumber: road + "-" + seg.name,
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("rsu firmware 3.2.0")),
		Roles:        vc.Roles{Publish: []string{seg.topic}},
		ValidFrom:    now.Add(-24 * time.Hour),
		ValidUntil:   now.Add(365 * 24 * time.Hour),
		Claims:       vc.Claims{"road": road, "segment": seg.name},
	})
	if err != nil {
		return nil, err
	}
	return &rsu{seg: seg, key: key, did: id, cred: cred}, nil
}

// pass signs the passage of vehicle through the unit's segment at time at:
// the segment's length in metres, the vehicle named in the metadata.
func (u *rsu) pass(vehicle string, at time.Time) (reading.Signed, error) {
	u.seq++
	return reading.Sign(u.key, reading.Reading{
		Device: u.did, Topic: u.seg.topic, Seq: u.seq, Time: at,
		Sensor: "passage", Value: int64(u.seg.lengthMetres), Scale: 0, Unit: "m",
		Metadata: map[string]string{"vehicle": vehicle},
	})
}

// passageUsage is what a passage is billed for: the segment's length in
// metres, at the passage's time.
func passageUsage(p reading.Signed) payment.Usage {
	return payment.Usage{From: p.Time, To: p.Time, Quantity: uint64(p.Value)}
}

func short(s string) string {
	if len(s) > 26 {
		return s[:20] + "…" + s[len(s)-4:]
	}
	return s
}

// km formats metres as kilometres with one decimal, without a float.
func km(m int64) string { return fmt.Sprintf("%d.%d", m/1000, m%1000/100) }

// dur formats a duration without zero units: 1h, 24h, 10s.
func dur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
