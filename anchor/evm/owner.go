package evm

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/iotrust/iotrust/anchor/evm/contracts"
	"github.com/iotrust/iotrust/internal/evmtx"
	"github.com/iotrust/iotrust/internal/nilable"
)

// Deployment is where a new anchor contract lives.
type Deployment struct {
	// Address is the contract's address: Config.Contract.
	Address common.Address
	// Block is the block it was deployed in: Config.DeployBlock.
	Block uint64
	// GasUsed is what the deployment cost.
	GasUsed uint64
}

// Owner manages an anchor contract: it deploys it and adds and removes the
// gateways that may anchor. Its Signer is the contract's owner.
type Owner struct {
	c        Client
	send     *evmtx.Sender
	retry    evmtx.Retry
	contract common.Address
}

// NewOwner returns an Owner acting through cfg.Signer on cfg.Contract.
// cfg.Contract may be zero if the Owner is only used to Deploy.
func NewOwner(ctx context.Context, client Client, cfg Config) (*Owner, error) {
	if nilable.Is(client) {
		return nil, fmt.Errorf("%w: no client", ErrBadConfig)
	}
	contract := cfg.Contract
	cfg.Contract = common.Address{1} // satisfies withDefaults; replaced below
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Signer == nil {
		return nil, fmt.Errorf("%w: an owner needs a signer", ErrBadConfig)
	}
	send, err := evmtx.NewSender(ctx, client, cfg.Signer, cfg.txConfig())
	if err != nil {
		return nil, wrap(err, "new owner")
	}
	return &Owner{c: client, send: send, retry: cfg.retry(), contract: contract}, nil
}

// Deploy deploys a new anchor contract owned by the Owner's signer, waits
// until it is mined, and makes the Owner manage it.
func (o *Owner) Deploy(ctx context.Context) (Deployment, error) {
	code, err := hexutil.Decode(contracts.AnchorMetaData.Bin)
	if err != nil {
		return Deployment{}, fmt.Errorf("evm: committed bytecode: %w", err)
	}
	rcpt, err := o.transact(ctx, nil, code)
	if err != nil {
		return Deployment{}, wrap(err, "deploy")
	}
	o.contract = rcpt.ContractAddress
	return Deployment{Address: rcpt.ContractAddress, Block: rcpt.BlockNumber.Uint64(), GasUsed: rcpt.GasUsed}, nil
}

// Contract returns the address of the managed contract.
func (o *Owner) Contract() common.Address { return o.contract }

// AddGateway allows gateway to anchor, once the transaction is mined.
func (o *Owner) AddGateway(ctx context.Context, gateway common.Address) error {
	if _, err := o.transact(ctx, &o.contract, binding.PackAddGateway(gateway)); err != nil {
		return wrap(err, "add gateway %s", gateway)
	}
	return nil
}

// RemoveGateway withdraws gateway's right to anchor; its anchors stay.
func (o *Owner) RemoveGateway(ctx context.Context, gateway common.Address) error {
	if _, err := o.transact(ctx, &o.contract, binding.PackRemoveGateway(gateway)); err != nil {
		return wrap(err, "remove gateway %s", gateway)
	}
	return nil
}

// IsGateway reports whether gateway may anchor, at the chain's head.
func (o *Owner) IsGateway(ctx context.Context, gateway common.Address) (bool, error) {
	var out []byte
	err := o.retry.Do(ctx, "isGateway", func(ctx context.Context) (err error) {
		out, err = o.c.CallContract(ctx, ethereum.CallMsg{To: &o.contract, Data: binding.PackIsGateway(gateway)}, nil)
		return err
	})
	if err != nil {
		return false, wrap(err, "is gateway %s", gateway)
	}
	return binding.UnpackIsGateway(out)
}

// transact sends data to `to` and waits until it is mined successfully.
func (o *Owner) transact(ctx context.Context, to *common.Address, data []byte) (*types.Receipt, error) {
	if to != nil && *to == (common.Address{}) {
		return nil, fmt.Errorf("%w: no contract address", ErrBadConfig)
	}
	rcpt, err := o.send.Transact(ctx, evmtx.Call{To: to, Data: data})
	if err != nil {
		return nil, revertError(err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("%w: transaction %s", ErrReverted, rcpt.TxHash)
	}
	return rcpt, nil
}
