package payment

import (
	"crypto/ecdsa"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/iotrust/iotrust/did"
)

// testClock is an injected clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixedSeed returns a deterministic seed so vectors stay stable.
func fixedSeed(b byte, n int) []byte {
	s := make([]byte, n)
	for i := range s {
		s[i] = b + byte(i)
	}
	return s
}

func ed25519Signer(t testing.TB, b byte) Signer {
	t.Helper()
	k, err := did.Ed25519.DeriveKey(fixedSeed(b, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewDIDSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ethKey(t testing.TB, b byte) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(fixedSeed(b, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ethSigner(t testing.TB, b byte) Signer {
	t.Helper()
	s, err := NewEthereumSigner(ethKey(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// partyOf returns the name a channel gives the holder of s's key: its DID
// (did:key / did:jwk) for a did key, its address for a secp256k1 key. It
// panics on a key the test built wrong.
func partyOf(s Signer) string {
	k := s.VoucherKey()
	if k.Scheme == SchemeEthereum {
		a, err := k.EthereumAddress()
		if err != nil {
			panic(err)
		}
		return a.String()
	}
	ver, err := k.Verifier()
	if err != nil {
		panic(err)
	}
	d, err := did.New(ver.(didVerifier).pk)
	if err != nil {
		panic(err)
	}
	return d
}

// testPayeeDID is the payee of test channels.
var testPayeeDID = func() string {
	k, err := did.Ed25519.DeriveKey(fixedSeed(200, 32))
	if err != nil {
		panic(err)
	}
	d, err := did.New(k.Public())
	if err != nil {
		panic(err)
	}
	return d
}()

// testChannel returns a channel settled off chain whose payer is the holder
// of s's key and whose payee is testPayeeDID.
func testChannel(s Signer, clk *testClock, deposit int64) *Channel {
	var id ChannelID
	copy(id[:], "channel-0000000000000000000000001")
	return &Channel{
		ID:          id,
		Domain:      Domain{ChainID: 1337},
		Payer:       partyOf(s),
		Payee:       testPayeeDID,
		Signer:      s.VoucherKey(),
		Deposit:     big.NewInt(deposit),
		Expiry:      clk.Now().Add(24 * time.Hour),
		SettleDelay: time.Hour,
	}
}

func openStore(t testing.TB, dir, name string) *Store {
	t.Helper()
	s, err := OpenStore(filepath.Join(dir, name), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// signed makes a voucher on c signed by s.
func signed(t testing.TB, s Signer, c *Channel, lane, nonce uint64, amount int64) *Voucher {
	t.Helper()
	v := &Voucher{Domain: c.Domain, Channel: c.ID, Lane: lane, Nonce: nonce, Amount: big.NewInt(amount)}
	if err := Sign(s, v); err != nil {
		t.Fatal(err)
	}
	return v
}

func newTestPayee(t testing.TB, st *Store, clk *testClock) *Payee {
	t.Helper()
	p, err := NewPayee(st, PayeeConfig{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newTestPayer(t testing.TB, st *Store, s Signer, caps []Cap, clk *testClock) *Payer {
	t.Helper()
	p, err := NewPayer(st, s, PayerConfig{Caps: caps, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustMeter(t testing.TB, tr *Tariff, w QualityWeight) *Meter {
	t.Helper()
	m, err := NewMeter(tr, w)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
