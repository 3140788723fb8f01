package devnet

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// RPCNodeConfig configures StartRPCNode.
type RPCNodeConfig struct {
	// Funds is the funder account's balance at genesis, in wei (default
	// 1000 ether).
	Funds *big.Int
	// BlockInterval is how often the node seals a block, with or without
	// transactions, as a real chain does (default 50 ms).
	BlockInterval time.Duration
}

// RPCNode is go-ethereum's simulated chain served over JSON-RPC on a
// loopback HTTP port, sealing blocks on its own, with one funded account.
// It is for tests of programs that take a chain by URL (-rpc, OpenChain's
// ChainConfig.RPC): they then go through a node's real protocol, where
// OpenChain's in-process simulated chain would skip it. Its chain ID is
// 1337.
type RPCNode struct {
	url       string
	funderKey string
	interval  time.Duration
	sim       *simulated.Backend
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// StartRPCNode starts a node for cfg on a free loopback port, serving the
// eth, net and web3 namespaces over HTTP. The caller closes it.
func StartRPCNode(cfg RPCNodeConfig) (*RPCNode, error) {
	if cfg.Funds == nil {
		cfg.Funds = genesisFunds
	}
	if cfg.BlockInterval <= 0 {
		cfg.BlockInterval = 50 * time.Millisecond
	}
	k, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(k.PublicKey): {Balance: new(big.Int).Set(cfg.Funds)}}
	// The port is free when asked for, but another process may take it
	// before the node listens: try a few.
	var sim *simulated.Backend
	var port int
	for attempt := 0; sim == nil; attempt++ {
		if port, err = freePort(); err == nil {
			sim, err = serve(alloc, port)
		}
		if err != nil && attempt == 4 {
			return nil, fmt.Errorf("devnet: starting the RPC node: %w", err)
		}
	}
	n := &RPCNode{
		url:       fmt.Sprintf("http://127.0.0.1:%d", port),
		funderKey: hex.EncodeToString(crypto.FromECDSA(k)),
		interval:  cfg.BlockInterval,
		sim:       sim,
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	go n.seal(cfg.BlockInterval)
	return n, nil
}

// serve starts the simulated chain with its HTTP server on port; it turns
// go-ethereum's panic on a node that cannot start into an error.
func serve(alloc types.GenesisAlloc, port int) (sim *simulated.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			sim, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort, nc.HTTPModules = "127.0.0.1", port, []string{"eth", "net", "web3"}
		// eth_getLogs can hang while blocks are sealed quickly (go-ethereum
		// #32552); log history is not kept, as on OpenChain's chain.
		ec.LogNoHistory = true
	}), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (n *RPCNode) seal(every time.Duration) {
	defer close(n.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
			n.sim.Commit()
		}
	}
}

// URL is the node's JSON-RPC endpoint, http://127.0.0.1:PORT.
func (n *RPCNode) URL() string { return n.url }

// FunderKey is the hex private key of the funded account, as
// ChainConfig.FunderKey and $IOTRUST_FUNDER_KEY take it.
func (n *RPCNode) FunderKey() string { return n.funderKey }

// BlockInterval is how often the node seals a block
// (RPCNodeConfig.BlockInterval, after defaults): an interval for
// ChainConfig.PollInterval that makes no wait longer than a block.
func (n *RPCNode) BlockInterval() time.Duration { return n.interval }

// Close stops sealing and shuts the node down; calls after the first do
// nothing.
func (n *RPCNode) Close() {
	n.closeOnce.Do(func() {
		close(n.stop)
		<-n.done
		_ = n.sim.Close()
	})
}
