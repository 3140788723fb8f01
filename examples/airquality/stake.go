package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/stake"
)

// openStakes deploys the Stake contract with the city as arbiter and has
// every enrolled owner bond coin in it. The city records which account
// stands behind which sensor DID.
func (c *city) openStakes(ctx context.Context, enrolled []*sensor, chainName string) error {
	accounts := []common.Address{c.account}
	for _, s := range enrolled {
		accounts = append(accounts, s.account)
	}
	if err := c.chain.Fund(ctx, gasMoney, accounts...); err != nil {
		return err
	}
	c.out.Printf("3. stakes on %s (chain ID %s)\n", chainName, c.chain.ChainID())
	cfg := stake.Config{PollInterval: c.chain.SettleConfig().PollInterval}
	addr, r, err := stake.Deploy(ctx, c.chain.Client(), c.auth, c.account, 7*24*time.Hour, cfg)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	c.gas.Add("deploy Stake (once)", r)
	if c.pool, err = stake.New(ctx, c.chain.Client(), addr, cfg); err != nil {
		return err
	}
	for _, s := range enrolled {
		r, err := c.pool.Bond(ctx, c.chain.Signer(s.owner), bond)
		if err != nil {
			return fmt.Errorf("%s bond: %w", s.name, err)
		}
		c.gas.Add("bond", r)
	}
	c.out.Printf("   %d owners bonded %s each; the city is the arbiter, slashes are burned\n", len(enrolled), devnet.Ether(bond))
	return nil
}
