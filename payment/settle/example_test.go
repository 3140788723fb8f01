package settle_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/payment/settle"
)

// A channel on go-ethereum's in-process chain: open with a deposit, pay off
// chain, close with the best voucher, collect after the settle delay.
func Example() {
	ctx := context.Background()
	payerKey, _ := crypto.GenerateKey()
	payeeKey, _ := crypto.GenerateKey()
	voucherKey, _ := crypto.GenerateKey() // the payer device's voucher key
	payerAddr := crypto.PubkeyToAddress(payerKey.PublicKey)
	payeeAddr := crypto.PubkeyToAddress(payeeKey.PublicKey)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{payerAddr: {Balance: eth}, payeeAddr: {Balance: eth}})
	defer sim.Close()
	client := sim.Client()
	// A simulated chain seals a block only on Commit; seal one every 5ms,
	// as a (fast) real chain would. Moving the chain's clock (below) takes
	// the same lock.
	var sealing sync.Mutex
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for t := time.NewTicker(5 * time.Millisecond); ; {
			select {
			case <-stop:
				return
			case <-t.C:
				sealing.Lock()
				sim.Commit()
				sealing.Unlock()
			}
		}
	}()
	defer func() { close(stop); <-stopped }()
	payer, payee := settle.KeySigner(payerKey), settle.KeySigner(payeeKey)
	cfg := settle.Config{PollInterval: 5 * time.Millisecond} // a real chain: the default, 1s

	addr, _, err := settle.Deploy(ctx, client, payer, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	settler, _ := settle.New(ctx, client, addr, cfg)
	signer, _ := payment.NewEthereumSigner(voucherKey)
	head, _ := client.HeaderByNumber(ctx, nil)
	now := time.Unix(int64(head.Time), 0)
	ch, _, err := settler.Open(ctx, payer, settle.OpenParams{
		Payee: payeeAddr, Signer: signer.VoucherKey(), Deposit: big.NewInt(1_000_000),
		Expiry: now.Add(24 * time.Hour), SettleDelay: time.Hour,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	dir, _ := os.MkdirTemp("", "settle-example")
	defer os.RemoveAll(dir)
	clock := func() time.Time { return now }
	payerStore, _ := payment.OpenStore(filepath.Join(dir, "payer"), nil)
	defer payerStore.Close()
	payeeStore, _ := payment.OpenStore(filepath.Join(dir, "payee"), nil)
	defer payeeStore.Close()
	payerParty, _ := payment.NewPayer(payerStore, signer, payment.PayerConfig{Now: clock})
	payeeParty, _ := payment.NewPayee(payeeStore, payment.PayeeConfig{Now: clock})
	payerParty.Open(ctx, ch)
	payeeParty.Open(ctx, ch)
	for i := 0; i < 100; i++ {
		v, _ := payerParty.Pay(ctx, ch.ID, 0, big.NewInt(250))
		if _, err := payeeParty.Accept(ctx, v, nil); err != nil {
			fmt.Println(err)
			return
		}
	}

	if _, err := settler.SubmitBest(ctx, payee, payeeStore, ch.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = settler.Collect(ctx, payee, ch.ID)
	fmt.Println("collect at once:", err != nil)
	// Move chain time past the settle delay. (The simulated chain refuses
	// while its pool still lists the mined close; that clears at once.)
	for i := 0; i < 1000; i++ {
		sealing.Lock()
		err := sim.AdjustTime(time.Hour)
		sealing.Unlock()
		if err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	_, err = settler.Collect(ctx, payee, ch.ID)
	fmt.Println("collect after the delay:", err)
	// Output:
	// collect at once: true
	// collect after the delay: <nil>
}
