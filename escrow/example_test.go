package escrow_test

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/escrow"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/zkp"
)

// A shipper locks a carrier's fee on go-ethereum's simulated chain; the
// gateway attests the shipment logger's committed readings. One reading
// left 2–8 °C, so no proof can release the fee, and after the deadline it
// goes to the insurer. (With every reading in range, the carrier would call
// Release with zkp.Prove's proof instead: see the escrow tests and
// examples/coldchain.)
func Example() {
	ctx := context.Background()
	chain, err := devnet.OpenChain(ctx, devnet.ChainConfig{}) // go-ethereum's simulated chain
	if err != nil {
		fmt.Println(err)
		return
	}
	defer chain.Close()
	shipper, _ := crypto.GenerateKey()
	gateway, _ := crypto.GenerateKey()
	carrier := crypto.PubkeyToAddress(must(crypto.GenerateKey()).PublicKey)
	insurer := crypto.PubkeyToAddress(must(crypto.GenerateKey()).PublicKey)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	if err := chain.Fund(ctx, eth, crypto.PubkeyToAddress(shipper.PublicKey), crypto.PubkeyToAddress(gateway.PublicKey)); err != nil {
		fmt.Println(err)
		return
	}
	client := chain.Client()
	cfg := escrow.Config{Backend: client, PollInterval: time.Millisecond}
	verifier, _, err := escrow.DeployDevVerifier(ctx, cfg, escrow.KeySigner(shipper))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _, err := escrow.Deploy(ctx, cfg, escrow.KeySigner(shipper), verifier)
	if err != nil {
		fmt.Println(err)
		return
	}

	lo, _ := zkp.Celsius().Encode("2.00")
	hi, _ := zkp.Celsius().Encode("8.00")
	iv := zkp.Interval{Lo: lo, Hi: hi}
	head, _ := client.HeaderByNumber(ctx, nil)
	now := time.Unix(int64(head.Time), 0)
	id, _, err := e.Open(ctx, escrow.KeySigner(shipper), escrow.Terms{
		Salt: [32]byte{1}, Payee: carrier, Fallback: insurer, Attester: crypto.PubkeyToAddress(gateway.PublicKey),
		Amount: new(big.Int).Div(eth, big.NewInt(100)), Interval: iv, Deadline: now.Add(24 * time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The logger's private readings, as the gateway anchored them.
	key, _ := did.Ed25519.GenerateKey(nil)
	logger, _ := did.New(key.Public())
	var readings []reading.Signed
	for i, celsius := range []string{"4.50", "9.35", "5.10"} {
		v, _ := zkp.Celsius().Encode(celsius)
		c, _, _ := zkp.Commit(v, nil) // the logger keeps the opening
		s, _ := reading.Sign(key, reading.Reading{
			Device: logger, Topic: "coldchain/shipment-42/logger", Seq: uint64(i + 1),
			Time: now.Add(time.Duration(i) * time.Hour).Truncate(time.Millisecond), Sensor: "temperature",
			Scale: 2, Unit: "Cel", Commitment: c[:],
		})
		readings = append(readings, s)
	}
	claim, _ := escrow.Claim(readings, iv)
	if _, err := e.Attest(ctx, escrow.KeySigner(gateway), id, claim.Commitments); err != nil {
		fmt.Println(err)
		return
	}

	if err := chain.Advance(ctx, 25*time.Hour); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := e.Expire(ctx, escrow.KeySigner(shipper), id); err != nil {
		fmt.Println(err)
		return
	}
	d, _ := e.Deal(ctx, id)
	paid, _ := client.BalanceAt(ctx, insurer, nil)
	fmt.Println("deal:", d.State, "with", d.Count, "attested readings")
	fmt.Println("insurer received (wei):", paid)
	// Output:
	// deal: expired with 3 attested readings
	// insurer received (wei): 10000000000000000
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
