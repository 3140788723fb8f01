package settle

import (
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/iotrust/iotrust/payment"
)

// TestCheckChannel: the channel Open returned passes; each field a payer
// could misstate is caught with ErrChannelMismatch; a top-up passes; a
// closing or finished channel fails.
func TestCheckChannel(t *testing.T) {
	c := newChain(t)
	ch, _, _ := c.open(ether, 1)
	if _, err := c.settler.CheckChannel(c.ctx, ch); err != nil {
		t.Fatalf("the opened channel: %v", err)
	}
	pkh := *ch
	pkh.Payer = fmt.Sprintf("did:pkh:eip155:%d:%s", c.settler.Domain().ChainID, c.addr("payer").Hex())
	if _, err := c.settler.CheckChannel(c.ctx, &pkh); err != nil {
		t.Fatalf("payer as did:pkh: %v", err)
	}
	other, _ := payment.NewEthereumSigner(c.keys["stranger"])
	for name, edit := range map[string]func(x *payment.Channel){
		"payer":        func(x *payment.Channel) { x.Payer = c.addr("stranger").Hex() },
		"payer chain":  func(x *payment.Channel) { x.Payer = "did:pkh:eip155:1:" + c.addr("payer").Hex() },
		"payee":        func(x *payment.Channel) { x.PayeeAddress = payment.Address(c.addr("stranger")) },
		"voucher key":  func(x *payment.Channel) { x.Signer = other.VoucherKey() },
		"token":        func(x *payment.Channel) { x.Asset = payment.Address(c.addr("stranger")) },
		"settle delay": func(x *payment.Channel) { x.SettleDelay = 2 * time.Hour },
		"deposit":      func(x *payment.Channel) { x.Deposit = new(big.Int).Add(ether, big.NewInt(1)) },
		"no deposit":   func(x *payment.Channel) { x.Deposit = nil },
		"expiry":       func(x *payment.Channel) { x.Expiry = x.Expiry.Add(time.Second) },
		"id":           func(x *payment.Channel) { x.ID[0] ^= 1 },
		"domain":       func(x *payment.Channel) { x.Domain.ChainID++ },
	} {
		x := *ch
		edit(&x)
		if _, err := c.settler.CheckChannel(c.ctx, &x); !errors.Is(err, ErrChannelMismatch) {
			t.Errorf("%s misstated: %v, want ErrChannelMismatch", name, err)
		}
	}
	if _, err := c.settler.CheckChannel(c.ctx, nil); !errors.Is(err, ErrChannelMismatch) {
		t.Errorf("nil channel: %v", err)
	}

	// More on chain than offered is fine for the payee.
	if _, err := c.settler.TopUp(c.ctx, c.from("payer"), ch, big.NewInt(1000), ch.Expiry.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if st, err := c.settler.CheckChannel(c.ctx, ch); err != nil || st.Deposit.Cmp(ch.Deposit) <= 0 {
		t.Fatalf("after a top-up: %v, deposit %v", err, st.Deposit)
	}
	if _, err := c.settler.Close(c.ctx, c.from("payee"), ch.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.settler.CheckChannel(c.ctx, ch); !errors.Is(err, ErrChannelMismatch) {
		t.Fatalf("closing channel: %v", err)
	}
}
