package settle_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
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
	chainID, _ := client.ChainID(ctx)
	payerAuth, _ := bind.NewKeyedTransactorWithChainID(payerKey, chainID)
	payeeAuth, _ := bind.NewKeyedTransactorWithChainID(payeeKey, chainID)
	// On a real chain pass nil: the Settler waits for the receipt.
	mined := func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
		sim.Commit()
		return client.TransactionReceipt(ctx, tx.Hash())
	}

	addr, _, err := settle.Deploy(ctx, client, payerAuth, mined)
	if err != nil {
		fmt.Println(err)
		return
	}
	settler, _ := settle.New(ctx, client, addr, mined, nil)
	signer, _ := payment.NewEthereumSigner(voucherKey)
	head, _ := client.HeaderByNumber(ctx, nil)
	now := time.Unix(int64(head.Time), 0)
	ch, _, err := settler.Open(ctx, payerAuth, settle.OpenParams{
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
	payer, _ := payment.NewPayer(payerStore, signer, payment.PayerConfig{Now: clock})
	payee, _ := payment.NewPayee(payeeStore, payment.PayeeConfig{Now: clock})
	payer.Open(ctx, ch)
	payee.Open(ctx, ch)
	for i := 0; i < 100; i++ {
		v, _ := payer.Pay(ctx, ch.ID, 0, big.NewInt(250))
		if _, err := payee.Accept(ctx, v, nil); err != nil {
			fmt.Println(err)
			return
		}
	}

	if _, err := settler.SubmitBest(ctx, payeeAuth, payeeStore, ch.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = settler.Collect(ctx, payeeAuth, ch.ID)
	fmt.Println("collect at once:", err != nil)
	// Move chain time past the settle delay. (The simulated chain refuses
	// while its pool still lists the mined close; that clears at once.)
	for i := 0; i < 1000 && sim.AdjustTime(time.Hour) != nil; i++ {
		time.Sleep(time.Millisecond)
	}
	_, err = settler.Collect(ctx, payeeAuth, ch.ID)
	fmt.Println("collect after the delay:", err)
	// Output:
	// collect at once: true
	// collect after the delay: <nil>
}
