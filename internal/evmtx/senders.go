package evmtx

import (
	"context"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Senders keeps one Sender per account on one chain, made on first use,
// so that concurrent calls from one account never share a nonce whichever
// caller makes them. It is safe for concurrent use.
type Senders struct {
	c   Client
	cfg Config

	mu sync.Mutex
	m  map[common.Address]*Sender
}

// NewSenders returns the Senders of the chain c reaches; each Sender is
// configured by cfg.
func NewSenders(c Client, cfg Config) *Senders {
	return &Senders{c: c, cfg: cfg, m: map[common.Address]*Sender{}}
}

// Of returns the Sender of signer's account, making it (which asks the
// node for the chain ID) on first use.
func (p *Senders) Of(ctx context.Context, signer Signer) (*Sender, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.m[signer.Address()]; ok {
		return s, nil
	}
	s, err := NewSender(ctx, p.c, signer, p.cfg)
	if err != nil {
		return nil, err
	}
	p.m[signer.Address()] = s
	return s, nil
}
