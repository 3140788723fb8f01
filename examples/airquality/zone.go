package main

import (
	"os"
	"path/filepath"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/zkp"
)

// zone is the district the city buys data for: a box of latitude and
// longitude, public. Sensors prove they lie inside it without saying where.
type zone struct {
	name     string
	lat, lon zkp.Interval // encoded with degrees()
	text     string
}

// degrees is how a coordinate enters a commitment: micro-degrees plus 180°,
// a 32-bit integer (−180° encodes as 0).
func degrees() zkp.Encoding { return zkp.Encoding{Decimals: 6, Offset: 180_000_000, Bits: 32} }

// zoneShape is the circuit: two values (latitude, longitude), 32 bits each.
func zoneShape() zkp.Shape { return zkp.BoxShape(2, 32) }

// cityZone is the district: central Lyon.
func cityZone() (zone, error) {
	z := zone{name: "Lyon centre", text: "lat 45.7400–45.7800, lon 4.8100–4.8700"}
	var err error
	for _, c := range []struct {
		v    *uint64
		text string
	}{{&z.lat.Lo, "45.7400"}, {&z.lat.Hi, "45.7800"}, {&z.lon.Lo, "4.8100"}, {&z.lon.Hi, "4.8700"}} {
		if *c.v, err = degrees().Encode(c.text); err != nil {
			return zone{}, err
		}
	}
	return z, nil
}

// zoneSeed is the public seed of the example's development keys: anyone who
// knows it can forge zone proofs. A real programme takes its keys from a
// multi-party ceremony (zkp.KeysFromCeremony) and publishes the verifying
// key.
const zoneSeed = "iotrust.examples.airquality.zone.v1"

// zoneKeys returns the box circuit's development keys, kept in the user's
// cache directory: the first run makes them (several seconds, with
// progress shown), later runs read them back.
func zoneKeys(out devnet.Printer) (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	dir := ""
	if base, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(base, "iotrust")
	}
	cc, err := zkp.Compile(zoneShape(), zkp.Groth16)
	if err != nil {
		return nil, nil, err
	}
	var pk *zkp.ProvingKey
	var vk *zkp.VerifyingKey
	var cached bool
	err = out.Progress("setting up the zone circuit's keys (first run only)", func() error {
		pk, vk, cached, err = zkp.CachedUnsafeSetup(dir, cc, []byte(zoneSeed))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if cached {
		out.Printf("   zone circuit %s: keys from the cache in %s\n", zoneShape(), dir)
	} else {
		out.Printf("   zone circuit %s: %d constraints, development keys from a public seed\n", zoneShape(), cc.Constraints())
	}
	return pk, vk, nil
}
