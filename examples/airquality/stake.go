package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

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
	if err := c.chain.fund(ctx, gasMoney, accounts...); err != nil {
		return err
	}
	c.out.Printf("3. stakes on %s (chain ID %s)\n", chainName, c.chain.chainID)
	addr, r, err := stake.Deploy(ctx, c.chain.client, c.auth, c.account, 7*24*time.Hour, c.chain.mined())
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	c.gas.add("deploy Stake (once)", r)
	if c.pool, err = stake.New(ctx, c.chain.client, addr, c.chain.mined()); err != nil {
		return err
	}
	for _, s := range enrolled {
		auth, err := c.chain.auth(s.owner)
		if err != nil {
			return err
		}
		r, err := c.pool.Bond(ctx, auth, bond)
		if err != nil {
			return fmt.Errorf("%s bond: %w", s.name, err)
		}
		c.gas.add("bond", r)
	}
	c.out.Printf("   %d owners bonded %s each; the city is the arbiter, slashes are burned\n", len(enrolled), eth(bond))
	return nil
}
