package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

// zoneKeys returns the box circuit's development keys, from the user's
// cache directory when a previous run left them there; otherwise it makes
// them (several seconds, with progress shown) and caches them.
func zoneKeys(out devnet.Printer) (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	dir := ""
	if base, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(base, "iotrust")
	}
	name := filepath.Join(dir, strings.ReplaceAll(fmt.Sprintf("airquality-%s-groth16", zoneShape()), "/", "-"))
	if dir != "" {
		if pk, vk, err := readKeys(name); err == nil {
			out.Printf("   zone circuit %s: keys from %s.{pk,vk}\n", zoneShape(), name)
			return pk, vk, nil
		}
	}
	cc, err := zkp.Compile(zoneShape(), zkp.Groth16)
	if err != nil {
		return nil, nil, err
	}
	var pk *zkp.ProvingKey
	var vk *zkp.VerifyingKey
	label := "setting up the zone circuit's keys (first run only)"
	err = out.Progress(label, func() error {
		pk, vk, err = zkp.UnsafeSetup(cc, []byte(zoneSeed))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	out.Printf("   zone circuit %s: %d constraints, development keys from a public seed\n", zoneShape(), cc.Constraints())
	if dir != "" {
		if err := writeKeys(dir, name, pk, vk); err != nil {
			out.Printf("   (not cached: %v)\n", err)
		}
	}
	return pk, vk, nil
}

func readKeys(name string) (*zkp.ProvingKey, *zkp.VerifyingKey, error) {
	pf, err := os.Open(name + ".pk")
	if err != nil {
		return nil, nil, err
	}
	defer pf.Close()
	pk, err := zkp.ReadProvingKey(pf)
	if err != nil {
		return nil, nil, err
	}
	vf, err := os.Open(name + ".vk")
	if err != nil {
		return nil, nil, err
	}
	defer vf.Close()
	vk, err := zkp.ReadVerifyingKey(vf)
	if err != nil {
		return nil, nil, err
	}
	if pk.Shape() != zoneShape() || vk.Shape() != zoneShape() {
		return nil, nil, errors.New("cached keys of another shape")
	}
	return pk, vk, nil
}

// writeKeys writes both keys, each through a temporary file renamed into
// place, so that a crash leaves no half-written key behind.
func writeKeys(dir, name string, pk *zkp.ProvingKey, vk *zkp.VerifyingKey) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFileAtomic(name+".pk", pk.WriteTo); err != nil {
		return err
	}
	return writeFileAtomic(name+".vk", vk.WriteTo)
}

func writeFileAtomic(path string, write func(w io.Writer) (int64, error)) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
