// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// AnchorMetaData contains all meta data concerning the Anchor contract.
var AnchorMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"}],\"name\":\"AlreadyAnchored\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"windowStart\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"windowEnd\",\"type\":\"uint64\"}],\"name\":\"BadWindow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotGateway\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"gateway\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"hashFunc\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"cid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"windowStart\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"windowEnd\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"topic\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"meta\",\"type\":\"bytes\"}],\"name\":\"Anchored\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"gateway\",\"type\":\"address\"}],\"name\":\"GatewayAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"gateway\",\"type\":\"address\"}],\"name\":\"GatewayRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"gateway\",\"type\":\"address\"}],\"name\":\"addGateway\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"hashFunc\",\"type\":\"uint8\"},{\"internalType\":\"bytes\",\"name\":\"cid\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"windowStart\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"windowEnd\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"topic\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"meta\",\"type\":\"bytes\"}],\"name\":\"anchor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"anchoredAt\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"hashFunc\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isGateway\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"gateway\",\"type\":\"address\"}],\"name\":\"removeGateway\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Anchor",
	Bin: "0x6080604052348015600e575f5ffd5b505f80546001600160a01b0319163390811782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a361089e8061005a5f395ff3fe608060405234801561000f575f5ffd5b506004361061007a575f3560e01c80639591a610116100585780639591a610146100ef578063bfe69d9a14610135578063c0f5a7b514610167578063f2fde38b1461017a575f5ffd5b806368bb37951461007e5780638a885e35146100935780638da5cb5b146100a6575b5f5ffd5b61009161008c366004610616565b61018d565b005b6100916100a1366004610616565b6102aa565b5f546100c59073ffffffffffffffffffffffffffffffffffffffff1681565b60405173ffffffffffffffffffffffffffffffffffffffff90911681526020015b60405180910390f35b6101136100fd366004610650565b5f90815260026020526040902054600881901c91565b6040805167ffffffffffffffff909316835260ff9091166020830152016100e6565b610157610143366004610616565b60016020525f908152604090205460ff1681565b60405190151581526020016100e6565b6100916101753660046106d8565b61036f565b610091610188366004610616565b6104ec565b5f5473ffffffffffffffffffffffffffffffffffffffff1633146101e4576040517f245aecd30000000000000000000000000000000000000000000000000000000081523360048201526024015b60405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff8116610231576040517fd92e233d00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff81165f81815260016020819052604080832080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0016909217909155517f7137528d21fb7b0b9462886348954009edac49570e27ef9dba8bb3a676fc11e29190a250565b5f5473ffffffffffffffffffffffffffffffffffffffff1633146102fc576040517f245aecd30000000000000000000000000000000000000000000000000000000081523360048201526024016101db565b73ffffffffffffffffffffffffffffffffffffffff81165f8181526001602052604080822080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00169055517f6ad07cb5676ab639fa3821550f0ec4379900d542e2d8bd8f0f8158d8bd352da29190a250565b335f9081526001602052604090205460ff166103b9576040517f0b1c2e610000000000000000000000000000000000000000000000000000000081523360048201526024016101db565b8667ffffffffffffffff168667ffffffffffffffff16101561041b576040517fd389761b00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff8089166004830152871660248201526044016101db565b5f8b8152600260205260409020548015610478576040517f7332e7a7000000000000000000000000000000000000000000000000000000008152600481018d905267ffffffffffffffff600883901c1660248201526044016101db565b5f8c815260026020526040908190204360081b60ff8e161790555133908d907faeef36e00ab3c731e9e01d9a8d9cb177a401dff09ef22041b07772b339cb7ee6906104d6908f908f908f908f908f908f908f908f908f908f9061080c565b60405180910390a3505050505050505050505050565b5f5473ffffffffffffffffffffffffffffffffffffffff16331461053e576040517f245aecd30000000000000000000000000000000000000000000000000000000081523360048201526024016101db565b73ffffffffffffffffffffffffffffffffffffffff811661058b576040517fd92e233d00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f805460405173ffffffffffffffffffffffffffffffffffffffff808516939216917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80547fffffffffffffffffffffffff00000000000000000000000000000000000000001673ffffffffffffffffffffffffffffffffffffffff92909216919091179055565b5f60208284031215610626575f5ffd5b813573ffffffffffffffffffffffffffffffffffffffff81168114610649575f5ffd5b9392505050565b5f60208284031215610660575f5ffd5b5035919050565b803560ff81168114610677575f5ffd5b919050565b5f5f83601f84011261068c575f5ffd5b50813567ffffffffffffffff8111156106a3575f5ffd5b6020830191508360208285010111156106ba575f5ffd5b9250929050565b803567ffffffffffffffff81168114610677575f5ffd5b5f5f5f5f5f5f5f5f5f5f5f6101008c8e0312156106f3575f5ffd5b8b359a5061070360208d01610667565b995060408c013567ffffffffffffffff81111561071e575f5ffd5b61072a8e828f0161067c565b909a50985061073d905060608d016106c1565b965061074b60808d016106c1565b955061075960a08d016106c1565b945060c08c013567ffffffffffffffff811115610774575f5ffd5b6107808e828f0161067c565b90955093505060e08c013567ffffffffffffffff81111561079f575f5ffd5b6107ab8e828f0161067c565b915080935050809150509295989b509295989b9093969950565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b60ff8b16815260e060208201525f61082860e083018b8d6107c5565b67ffffffffffffffff8a16604084015267ffffffffffffffff8916606084015267ffffffffffffffff8816608084015282810360a084015261086b8187896107c5565b905082810360c08401526108808185876107c5565b9d9c5050505050505050505050505056fea164736f6c634300081e000a",
}

// Anchor is an auto generated Go binding around an Ethereum contract.
type Anchor struct {
	abi abi.ABI
}

// NewAnchor creates a new instance of Anchor.
func NewAnchor() *Anchor {
	parsed, err := AnchorMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Anchor{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Anchor) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAddGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68bb3795.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addGateway(address gateway) returns()
func (anchor *Anchor) PackAddGateway(gateway common.Address) []byte {
	enc, err := anchor.abi.Pack("addGateway", gateway)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68bb3795.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addGateway(address gateway) returns()
func (anchor *Anchor) TryPackAddGateway(gateway common.Address) ([]byte, error) {
	return anchor.abi.Pack("addGateway", gateway)
}

// PackAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0f5a7b5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function anchor(bytes32 root, uint8 hashFunc, bytes cid, uint64 windowStart, uint64 windowEnd, uint64 count, string topic, bytes meta) returns()
func (anchor *Anchor) PackAnchor(root [32]byte, hashFunc uint8, cid []byte, windowStart uint64, windowEnd uint64, count uint64, topic string, meta []byte) []byte {
	enc, err := anchor.abi.Pack("anchor", root, hashFunc, cid, windowStart, windowEnd, count, topic, meta)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnchor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc0f5a7b5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function anchor(bytes32 root, uint8 hashFunc, bytes cid, uint64 windowStart, uint64 windowEnd, uint64 count, string topic, bytes meta) returns()
func (anchor *Anchor) TryPackAnchor(root [32]byte, hashFunc uint8, cid []byte, windowStart uint64, windowEnd uint64, count uint64, topic string, meta []byte) ([]byte, error) {
	return anchor.abi.Pack("anchor", root, hashFunc, cid, windowStart, windowEnd, count, topic, meta)
}

// PackAnchoredAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9591a610.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function anchoredAt(bytes32 root) view returns(uint64 blockNumber, uint8 hashFunc)
func (anchor *Anchor) PackAnchoredAt(root [32]byte) []byte {
	enc, err := anchor.abi.Pack("anchoredAt", root)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnchoredAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9591a610.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function anchoredAt(bytes32 root) view returns(uint64 blockNumber, uint8 hashFunc)
func (anchor *Anchor) TryPackAnchoredAt(root [32]byte) ([]byte, error) {
	return anchor.abi.Pack("anchoredAt", root)
}

// AnchoredAtOutput serves as a container for the return parameters of contract
// method AnchoredAt.
type AnchoredAtOutput struct {
	BlockNumber uint64
	HashFunc    uint8
}

// UnpackAnchoredAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9591a610.
//
// Solidity: function anchoredAt(bytes32 root) view returns(uint64 blockNumber, uint8 hashFunc)
func (anchor *Anchor) UnpackAnchoredAt(data []byte) (AnchoredAtOutput, error) {
	out, err := anchor.abi.Unpack("anchoredAt", data)
	outstruct := new(AnchoredAtOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.BlockNumber = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.HashFunc = *abi.ConvertType(out[1], new(uint8)).(*uint8)
	return *outstruct, nil
}

// PackIsGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfe69d9a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isGateway(address ) view returns(bool)
func (anchor *Anchor) PackIsGateway(arg0 common.Address) []byte {
	enc, err := anchor.abi.Pack("isGateway", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfe69d9a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isGateway(address ) view returns(bool)
func (anchor *Anchor) TryPackIsGateway(arg0 common.Address) ([]byte, error) {
	return anchor.abi.Pack("isGateway", arg0)
}

// UnpackIsGateway is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbfe69d9a.
//
// Solidity: function isGateway(address ) view returns(bool)
func (anchor *Anchor) UnpackIsGateway(data []byte) (bool, error) {
	out, err := anchor.abi.Unpack("isGateway", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (anchor *Anchor) PackOwner() []byte {
	enc, err := anchor.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (anchor *Anchor) TryPackOwner() ([]byte, error) {
	return anchor.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (anchor *Anchor) UnpackOwner(data []byte) (common.Address, error) {
	out, err := anchor.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRemoveGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8a885e35.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeGateway(address gateway) returns()
func (anchor *Anchor) PackRemoveGateway(gateway common.Address) []byte {
	enc, err := anchor.abi.Pack("removeGateway", gateway)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveGateway is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8a885e35.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeGateway(address gateway) returns()
func (anchor *Anchor) TryPackRemoveGateway(gateway common.Address) ([]byte, error) {
	return anchor.abi.Pack("removeGateway", gateway)
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (anchor *Anchor) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := anchor.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (anchor *Anchor) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return anchor.abi.Pack("transferOwnership", newOwner)
}

// AnchorAnchored represents a Anchored event raised by the Anchor contract.
type AnchorAnchored struct {
	Root        [32]byte
	Gateway     common.Address
	HashFunc    uint8
	Cid         []byte
	WindowStart uint64
	WindowEnd   uint64
	Count       uint64
	Topic       string
	Meta        []byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const AnchorAnchoredEventName = "Anchored"

// ContractEventName returns the user-defined event name.
func (AnchorAnchored) ContractEventName() string {
	return AnchorAnchoredEventName
}

// UnpackAnchoredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Anchored(bytes32 indexed root, address indexed gateway, uint8 hashFunc, bytes cid, uint64 windowStart, uint64 windowEnd, uint64 count, string topic, bytes meta)
func (anchor *Anchor) UnpackAnchoredEvent(log *types.Log) (*AnchorAnchored, error) {
	event := "Anchored"
	if len(log.Topics) == 0 || log.Topics[0] != anchor.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(AnchorAnchored)
	if len(log.Data) > 0 {
		if err := anchor.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchor.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AnchorGatewayAdded represents a GatewayAdded event raised by the Anchor contract.
type AnchorGatewayAdded struct {
	Gateway common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const AnchorGatewayAddedEventName = "GatewayAdded"

// ContractEventName returns the user-defined event name.
func (AnchorGatewayAdded) ContractEventName() string {
	return AnchorGatewayAddedEventName
}

// UnpackGatewayAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event GatewayAdded(address indexed gateway)
func (anchor *Anchor) UnpackGatewayAddedEvent(log *types.Log) (*AnchorGatewayAdded, error) {
	event := "GatewayAdded"
	if len(log.Topics) == 0 || log.Topics[0] != anchor.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(AnchorGatewayAdded)
	if len(log.Data) > 0 {
		if err := anchor.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchor.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AnchorGatewayRemoved represents a GatewayRemoved event raised by the Anchor contract.
type AnchorGatewayRemoved struct {
	Gateway common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const AnchorGatewayRemovedEventName = "GatewayRemoved"

// ContractEventName returns the user-defined event name.
func (AnchorGatewayRemoved) ContractEventName() string {
	return AnchorGatewayRemovedEventName
}

// UnpackGatewayRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event GatewayRemoved(address indexed gateway)
func (anchor *Anchor) UnpackGatewayRemovedEvent(log *types.Log) (*AnchorGatewayRemoved, error) {
	event := "GatewayRemoved"
	if len(log.Topics) == 0 || log.Topics[0] != anchor.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(AnchorGatewayRemoved)
	if len(log.Data) > 0 {
		if err := anchor.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchor.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AnchorOwnershipTransferred represents a OwnershipTransferred event raised by the Anchor contract.
type AnchorOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const AnchorOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (AnchorOwnershipTransferred) ContractEventName() string {
	return AnchorOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (anchor *Anchor) UnpackOwnershipTransferredEvent(log *types.Log) (*AnchorOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 || log.Topics[0] != anchor.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(AnchorOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := anchor.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchor.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (anchor *Anchor) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], anchor.abi.Errors["AlreadyAnchored"].ID.Bytes()[:4]) {
		return anchor.UnpackAlreadyAnchoredError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchor.abi.Errors["BadWindow"].ID.Bytes()[:4]) {
		return anchor.UnpackBadWindowError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchor.abi.Errors["NotGateway"].ID.Bytes()[:4]) {
		return anchor.UnpackNotGatewayError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchor.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return anchor.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchor.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return anchor.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// AnchorAlreadyAnchored represents a AlreadyAnchored error raised by the Anchor contract.
type AnchorAlreadyAnchored struct {
	Root        [32]byte
	BlockNumber uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyAnchored(bytes32 root, uint64 blockNumber)
func AnchorAlreadyAnchoredErrorID() common.Hash {
	return common.HexToHash("0x7332e7a7e9907fe11f7753d9c80edf26f95b52ef3f583a8231ec680bddb394f0")
}

// UnpackAlreadyAnchoredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyAnchored(bytes32 root, uint64 blockNumber)
func (anchor *Anchor) UnpackAlreadyAnchoredError(raw []byte) (*AnchorAlreadyAnchored, error) {
	out := new(AnchorAlreadyAnchored)
	if err := anchor.abi.UnpackIntoInterface(out, "AlreadyAnchored", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorBadWindow represents a BadWindow error raised by the Anchor contract.
type AnchorBadWindow struct {
	WindowStart uint64
	WindowEnd   uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadWindow(uint64 windowStart, uint64 windowEnd)
func AnchorBadWindowErrorID() common.Hash {
	return common.HexToHash("0xd389761b999a30f3645ace66a4eb9c972f55eebb9c8f6324a16048556b126472")
}

// UnpackBadWindowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadWindow(uint64 windowStart, uint64 windowEnd)
func (anchor *Anchor) UnpackBadWindowError(raw []byte) (*AnchorBadWindow, error) {
	out := new(AnchorBadWindow)
	if err := anchor.abi.UnpackIntoInterface(out, "BadWindow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorNotGateway represents a NotGateway error raised by the Anchor contract.
type AnchorNotGateway struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotGateway(address caller)
func AnchorNotGatewayErrorID() common.Hash {
	return common.HexToHash("0x0b1c2e61e63311e52da70db96b5acff02375ab8c96a8d5ff8946bf0b42439070")
}

// UnpackNotGatewayError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotGateway(address caller)
func (anchor *Anchor) UnpackNotGatewayError(raw []byte) (*AnchorNotGateway, error) {
	out := new(AnchorNotGateway)
	if err := anchor.abi.UnpackIntoInterface(out, "NotGateway", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorNotOwner represents a NotOwner error raised by the Anchor contract.
type AnchorNotOwner struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(address caller)
func AnchorNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x245aecd3fabbd17d6c3c92dc7f0ab916ea8cbf6fc1862c8b56893090ac3fff4c")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(address caller)
func (anchor *Anchor) UnpackNotOwnerError(raw []byte) (*AnchorNotOwner, error) {
	out := new(AnchorNotOwner)
	if err := anchor.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorZeroAddress represents a ZeroAddress error raised by the Anchor contract.
type AnchorZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func AnchorZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (anchor *Anchor) UnpackZeroAddressError(raw []byte) (*AnchorZeroAddress, error) {
	out := new(AnchorZeroAddress)
	if err := anchor.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
