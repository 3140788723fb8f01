package main

import (
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
)

// readingTag separates reading signatures from every other signed object.
const readingTag canon.Tag = "iotrust.example.coldchain.reading.v1"

// Reading is one temperature sample as a device reports it. The value is a
// fixed-point integer (hundredths of a degree Celsius), never a float, so
// that every party hashes and signs exactly the same number. A private
// sensor reports a commitment to the value instead of the value: the
// commitment is what it signs, what the gateway anchors and what a range
// proof is later checked against.
type Reading struct {
	Device   string `json:"device"`           // the device's DID
	Shipment string `json:"shipment"`         // what the reading is about
	Seq      uint64 `json:"seq"`              // strictly increasing per device
	Time     int64  `json:"ts"`               // Unix milliseconds
	CentiC   *int64 `json:"centiC,omitempty"` // temperature in 0.01 °C, if public
	Commit   string `json:"commit,omitempty"` // hex zkp.Commitment, if private
}

// SignedReading is a Reading with the device's signature over its
// canonical bytes under readingTag.
type SignedReading struct {
	Reading
	Sig []byte `json:"sig"`
}

// sign returns r signed by key.
func sign(key did.PrivateKey, r Reading) (SignedReading, error) {
	msg, err := signingMessage(r)
	if err != nil {
		return SignedReading{}, err
	}
	sig, err := key.Sign(msg)
	return SignedReading{Reading: r, Sig: sig}, err
}

func signingMessage(r Reading) ([]byte, error) {
	b, err := canon.JSON(r)
	if err != nil {
		return nil, err
	}
	return canon.SigningMessage(readingTag, b)
}

// leaf returns the bytes that enter the batch's Merkle tree: the canonical
// JSON of the signed reading, so the tree commits to value and signature.
func (s SignedReading) leaf() ([]byte, error) { return canon.JSON(s) }

var (
	errBadSignature = errors.New("coldchain: bad reading signature")
	errReplay       = errors.New("coldchain: sequence number not above the last one")
)

// verify checks s against the key its device DID names, offline.
func verify(s SignedReading) error {
	pub, err := did.ResolveKey(s.Device)
	if err != nil {
		return err
	}
	msg, err := signingMessage(s.Reading)
	if err != nil {
		return err
	}
	if !pub.Verify(msg, s.Sig) {
		return fmt.Errorf("%w: device %s seq %d", errBadSignature, short(s.Device), s.Seq)
	}
	return nil
}

func short(d string) string {
	if len(d) > 24 {
		return d[:20] + "…" + d[len(d)-4:]
	}
	return d
}
