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

// StakeMetaData contains all meta data concerning the Stake contract.
var StakeMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"arbiter_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"unbondingDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"evidence\",\"type\":\"bytes32\"}],\"name\":\"AlreadySlashed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadParameters\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"bond\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"InsufficientBond\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"name\":\"Locked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotArbiter\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotUnbonding\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"}],\"name\":\"NothingBonded\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"name\":\"Unbonding\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"bond\",\"type\":\"uint256\"}],\"name\":\"Bonded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"evidence\",\"type\":\"bytes32\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"name\":\"UnbondingStarted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"arbiter\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"bond\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"bonds\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burned\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"staker\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"evidence\",\"type\":\"bytes32\"}],\"name\":\"slash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"slashedFor\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unbond\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unbondingDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Stake",
	Bin: "0x60c060405234801561000f575f5ffd5b50604051610a62380380610a6283398101604081905261002e91610088565b6001600160a01b038216158061004b57506001600160401b038116155b156100695760405163a18a709360e01b815260040160405180910390fd5b6001600160a01b039091166080526001600160401b031660a0526100d6565b5f5f60408385031215610099575f5ffd5b82516001600160a01b03811681146100af575f5ffd5b60208401519092506001600160401b03811681146100cb575f5ffd5b809150509250929050565b60805160a05161095d6101055f395f818161013f01526104a601525f81816102040152610649015261095d5ff3fe608060405260043610610093575f3560e01c806373f4256111610066578063fba2c05a1161004c578063fba2c05a1461017a578063fe10d77414610199578063fe25e00a146101f3575f5ffd5b806373f425611461010c578063db7dd35a1461012e575f5ffd5b80633ccfd60b146100975780635df6a6bc146100ad57806364c9ec6f146100c15780636dc770ba146100c9575b5f5ffd5b3480156100a2575f5ffd5b506100ab61024b565b005b3480156100b8575f5ffd5b506100ab6103fe565b6100ab61053e565b3480156100d4575f5ffd5b506100f76100e3366004610848565b60026020525f908152604090205460ff1681565b60405190151581526020015b60405180910390f35b348015610117575f5ffd5b506101205f5481565b604051908152602001610103565b348015610139575f5ffd5b506101617f000000000000000000000000000000000000000000000000000000000000000081565b60405167ffffffffffffffff9091168152602001610103565b348015610185575f5ffd5b506100ab610194366004610887565b610631565b3480156101a4575f5ffd5b506101d56101b33660046108b7565b600160208190525f9182526040909120805491015467ffffffffffffffff1682565b6040805192835267ffffffffffffffff909116602083015201610103565b3480156101fe575f5ffd5b506102267f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff9091168152602001610103565b335f908152600160208190526040822090810154909167ffffffffffffffff90911690036102a5576040517f0107608500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b600181015467ffffffffffffffff164210156103045760018101546040517feada265800000000000000000000000000000000000000000000000000000000815267ffffffffffffffff90911660048201526024015b60405180910390fd5b8054335f818152600160208190526040808320928355910180547fffffffffffffffffffffffffffffffffffffffffffffffff0000000000000000169055517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906103729084815260200190565b60405180910390a26040515f90339083908381818185875af1925050503d805f81146103b9576040519150601f19603f3d011682016040523d82523d5f602084013e6103be565b606091505b50509050806103f9576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b505050565b335f9081526001602052604081208054909103610449576040517f09230a5b0000000000000000000000000000000000000000000000000000000081523360048201526024016102fb565b600181015467ffffffffffffffff16156104a15760018101546040517f1889e60c00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff90911660048201526024016102fb565b6104cb7f000000000000000000000000000000000000000000000000000000000000000042610904565b6001820180547fffffffffffffffffffffffffffffffffffffffffffffffff00000000000000001667ffffffffffffffff92909216918217905560405190815233907f03023a93bedbc6e260bc3a20083621ecb266420009a06a7f3cc31eae8e0a99e8906020015b60405180910390a250565b345f03610577576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f9081526001602081905260409091209081015467ffffffffffffffff16156105df5760018101546040517f1889e60c00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff90911660048201526024016102fb565b34815f015f8282546105f1919061092a565b9091555050805460405133917f524384adee0b2f52827eebf00ddd616aa286978612393216724d61cdb43dc8359161053391348252602082015260400190565b3373ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016146106a2576040517f720c75c20000000000000000000000000000000000000000000000000000000081523360048201526024016102fb565b815f036106db576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f8181526002602052604090205460ff1615610726576040517f16e5043d000000000000000000000000000000000000000000000000000000008152600481018290526024016102fb565b73ffffffffffffffffffffffffffffffffffffffff83165f90815260016020526040902080548311156107925780546040517f44d4caf70000000000000000000000000000000000000000000000000000000081526004810191909152602481018490526044016102fb565b5f82815260026020526040812080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660011790558154849183916107d990849061093d565b92505081905550825f5f8282546107f0919061092a565b9091555050604051838152829073ffffffffffffffffffffffffffffffffffffffff8616907fde801f971d0ff4da891bdda531ed09f84916be41f6903734f816d6855210ff5a9060200160405180910390a350505050565b5f60208284031215610858575f5ffd5b5035919050565b803573ffffffffffffffffffffffffffffffffffffffff81168114610882575f5ffd5b919050565b5f5f5f60608486031215610899575f5ffd5b6108a28461085f565b95602085013595506040909401359392505050565b5f602082840312156108c7575f5ffd5b6108d08261085f565b9392505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b67ffffffffffffffff8181168382160190811115610924576109246108d7565b92915050565b80820180821115610924576109246108d7565b81810381811115610924576109246108d756fea164736f6c634300081e000a",
}

// Stake is an auto generated Go binding around an Ethereum contract.
type Stake struct {
	abi abi.ABI
}

// NewStake creates a new instance of Stake.
func NewStake() *Stake {
	parsed, err := StakeMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Stake{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Stake) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address arbiter_, uint64 unbondingDelay_) returns()
func (stake *Stake) PackConstructor(arbiter_ common.Address, unbondingDelay_ uint64) []byte {
	enc, err := stake.abi.Pack("", arbiter_, unbondingDelay_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackArbiter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe25e00a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arbiter() view returns(address)
func (stake *Stake) PackArbiter() []byte {
	enc, err := stake.abi.Pack("arbiter")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArbiter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe25e00a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arbiter() view returns(address)
func (stake *Stake) TryPackArbiter() ([]byte, error) {
	return stake.abi.Pack("arbiter")
}

// UnpackArbiter is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe25e00a.
//
// Solidity: function arbiter() view returns(address)
func (stake *Stake) UnpackArbiter(data []byte) (common.Address, error) {
	out, err := stake.abi.Unpack("arbiter", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackBond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64c9ec6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function bond() payable returns()
func (stake *Stake) PackBond() []byte {
	enc, err := stake.abi.Pack("bond")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64c9ec6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function bond() payable returns()
func (stake *Stake) TryPackBond() ([]byte, error) {
	return stake.abi.Pack("bond")
}

// PackBonds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe10d774.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function bonds(address ) view returns(uint256 amount, uint64 unlocksAt)
func (stake *Stake) PackBonds(arg0 common.Address) []byte {
	enc, err := stake.abi.Pack("bonds", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBonds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe10d774.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function bonds(address ) view returns(uint256 amount, uint64 unlocksAt)
func (stake *Stake) TryPackBonds(arg0 common.Address) ([]byte, error) {
	return stake.abi.Pack("bonds", arg0)
}

// BondsOutput serves as a container for the return parameters of contract
// method Bonds.
type BondsOutput struct {
	Amount    *big.Int
	UnlocksAt uint64
}

// UnpackBonds is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe10d774.
//
// Solidity: function bonds(address ) view returns(uint256 amount, uint64 unlocksAt)
func (stake *Stake) UnpackBonds(data []byte) (BondsOutput, error) {
	out, err := stake.abi.Unpack("bonds", data)
	outstruct := new(BondsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Amount = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.UnlocksAt = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burned() view returns(uint256)
func (stake *Stake) PackBurned() []byte {
	enc, err := stake.abi.Pack("burned")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burned() view returns(uint256)
func (stake *Stake) TryPackBurned() ([]byte, error) {
	return stake.abi.Pack("burned")
}

// UnpackBurned is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (stake *Stake) UnpackBurned(data []byte) (*big.Int, error) {
	out, err := stake.abi.Unpack("burned", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfba2c05a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slash(address staker, uint256 amount, bytes32 evidence) returns()
func (stake *Stake) PackSlash(staker common.Address, amount *big.Int, evidence [32]byte) []byte {
	enc, err := stake.abi.Pack("slash", staker, amount, evidence)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfba2c05a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slash(address staker, uint256 amount, bytes32 evidence) returns()
func (stake *Stake) TryPackSlash(staker common.Address, amount *big.Int, evidence [32]byte) ([]byte, error) {
	return stake.abi.Pack("slash", staker, amount, evidence)
}

// PackSlashedFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6dc770ba.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashedFor(bytes32 ) view returns(bool)
func (stake *Stake) PackSlashedFor(arg0 [32]byte) []byte {
	enc, err := stake.abi.Pack("slashedFor", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashedFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6dc770ba.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashedFor(bytes32 ) view returns(bool)
func (stake *Stake) TryPackSlashedFor(arg0 [32]byte) ([]byte, error) {
	return stake.abi.Pack("slashedFor", arg0)
}

// UnpackSlashedFor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6dc770ba.
//
// Solidity: function slashedFor(bytes32 ) view returns(bool)
func (stake *Stake) UnpackSlashedFor(data []byte) (bool, error) {
	out, err := stake.abi.Unpack("slashedFor", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackUnbond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5df6a6bc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unbond() returns()
func (stake *Stake) PackUnbond() []byte {
	enc, err := stake.abi.Pack("unbond")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnbond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5df6a6bc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unbond() returns()
func (stake *Stake) TryPackUnbond() ([]byte, error) {
	return stake.abi.Pack("unbond")
}

// PackUnbondingDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb7dd35a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (stake *Stake) PackUnbondingDelay() []byte {
	enc, err := stake.abi.Pack("unbondingDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnbondingDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb7dd35a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (stake *Stake) TryPackUnbondingDelay() ([]byte, error) {
	return stake.abi.Pack("unbondingDelay")
}

// UnpackUnbondingDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdb7dd35a.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (stake *Stake) UnpackUnbondingDelay(data []byte) (uint64, error) {
	out, err := stake.abi.Unpack("unbondingDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (stake *Stake) PackWithdraw() []byte {
	enc, err := stake.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (stake *Stake) TryPackWithdraw() ([]byte, error) {
	return stake.abi.Pack("withdraw")
}

// StakeBonded represents a Bonded event raised by the Stake contract.
type StakeBonded struct {
	Staker common.Address
	Amount *big.Int
	Bond   *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const StakeBondedEventName = "Bonded"

// ContractEventName returns the user-defined event name.
func (StakeBonded) ContractEventName() string {
	return StakeBondedEventName
}

// UnpackBondedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Bonded(address indexed staker, uint256 amount, uint256 bond)
func (stake *Stake) UnpackBondedEvent(log *types.Log) (*StakeBonded, error) {
	event := "Bonded"
	if len(log.Topics) == 0 || log.Topics[0] != stake.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(StakeBonded)
	if len(log.Data) > 0 {
		if err := stake.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stake.abi.Events[event].Inputs {
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

// StakeSlashed represents a Slashed event raised by the Stake contract.
type StakeSlashed struct {
	Staker   common.Address
	Amount   *big.Int
	Evidence [32]byte
	Raw      *types.Log // Blockchain specific contextual infos
}

const StakeSlashedEventName = "Slashed"

// ContractEventName returns the user-defined event name.
func (StakeSlashed) ContractEventName() string {
	return StakeSlashedEventName
}

// UnpackSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Slashed(address indexed staker, uint256 amount, bytes32 indexed evidence)
func (stake *Stake) UnpackSlashedEvent(log *types.Log) (*StakeSlashed, error) {
	event := "Slashed"
	if len(log.Topics) == 0 || log.Topics[0] != stake.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(StakeSlashed)
	if len(log.Data) > 0 {
		if err := stake.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stake.abi.Events[event].Inputs {
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

// StakeUnbondingStarted represents a UnbondingStarted event raised by the Stake contract.
type StakeUnbondingStarted struct {
	Staker    common.Address
	UnlocksAt uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const StakeUnbondingStartedEventName = "UnbondingStarted"

// ContractEventName returns the user-defined event name.
func (StakeUnbondingStarted) ContractEventName() string {
	return StakeUnbondingStartedEventName
}

// UnpackUnbondingStartedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnbondingStarted(address indexed staker, uint64 unlocksAt)
func (stake *Stake) UnpackUnbondingStartedEvent(log *types.Log) (*StakeUnbondingStarted, error) {
	event := "UnbondingStarted"
	if len(log.Topics) == 0 || log.Topics[0] != stake.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(StakeUnbondingStarted)
	if len(log.Data) > 0 {
		if err := stake.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stake.abi.Events[event].Inputs {
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

// StakeWithdrawn represents a Withdrawn event raised by the Stake contract.
type StakeWithdrawn struct {
	Staker common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const StakeWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (StakeWithdrawn) ContractEventName() string {
	return StakeWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed staker, uint256 amount)
func (stake *Stake) UnpackWithdrawnEvent(log *types.Log) (*StakeWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 || log.Topics[0] != stake.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(StakeWithdrawn)
	if len(log.Data) > 0 {
		if err := stake.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range stake.abi.Events[event].Inputs {
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
func (stake *Stake) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], stake.abi.Errors["AlreadySlashed"].ID.Bytes()[:4]) {
		return stake.UnpackAlreadySlashedError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["BadParameters"].ID.Bytes()[:4]) {
		return stake.UnpackBadParametersError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["InsufficientBond"].ID.Bytes()[:4]) {
		return stake.UnpackInsufficientBondError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["Locked"].ID.Bytes()[:4]) {
		return stake.UnpackLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["NotArbiter"].ID.Bytes()[:4]) {
		return stake.UnpackNotArbiterError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["NotUnbonding"].ID.Bytes()[:4]) {
		return stake.UnpackNotUnbondingError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["NothingBonded"].ID.Bytes()[:4]) {
		return stake.UnpackNothingBondedError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return stake.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["Unbonding"].ID.Bytes()[:4]) {
		return stake.UnpackUnbondingError(raw[4:])
	}
	if bytes.Equal(raw[:4], stake.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return stake.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// StakeAlreadySlashed represents a AlreadySlashed error raised by the Stake contract.
type StakeAlreadySlashed struct {
	Evidence [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadySlashed(bytes32 evidence)
func StakeAlreadySlashedErrorID() common.Hash {
	return common.HexToHash("0x16e5043d85531f6d342cbe530661f20425bf0ac095ef636feef1c343193172a7")
}

// UnpackAlreadySlashedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadySlashed(bytes32 evidence)
func (stake *Stake) UnpackAlreadySlashedError(raw []byte) (*StakeAlreadySlashed, error) {
	out := new(StakeAlreadySlashed)
	if err := stake.abi.UnpackIntoInterface(out, "AlreadySlashed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeBadParameters represents a BadParameters error raised by the Stake contract.
type StakeBadParameters struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadParameters()
func StakeBadParametersErrorID() common.Hash {
	return common.HexToHash("0xa18a7093f7404a17016907fa5b1c7597f4d04a36e0d0a5f233a0b829fa72eef1")
}

// UnpackBadParametersError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadParameters()
func (stake *Stake) UnpackBadParametersError(raw []byte) (*StakeBadParameters, error) {
	out := new(StakeBadParameters)
	if err := stake.abi.UnpackIntoInterface(out, "BadParameters", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeInsufficientBond represents a InsufficientBond error raised by the Stake contract.
type StakeInsufficientBond struct {
	Bond   *big.Int
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBond(uint256 bond, uint256 amount)
func StakeInsufficientBondErrorID() common.Hash {
	return common.HexToHash("0x44d4caf750ea74407547ceb252d1c72d961f5025a7b3473fac9b354f227e0fd6")
}

// UnpackInsufficientBondError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBond(uint256 bond, uint256 amount)
func (stake *Stake) UnpackInsufficientBondError(raw []byte) (*StakeInsufficientBond, error) {
	out := new(StakeInsufficientBond)
	if err := stake.abi.UnpackIntoInterface(out, "InsufficientBond", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeLocked represents a Locked error raised by the Stake contract.
type StakeLocked struct {
	UnlocksAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Locked(uint64 unlocksAt)
func StakeLockedErrorID() common.Hash {
	return common.HexToHash("0xeada2658bdffa19cde38de41cf093822ebf95b75028fe95357edf04ad0ac1c2c")
}

// UnpackLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Locked(uint64 unlocksAt)
func (stake *Stake) UnpackLockedError(raw []byte) (*StakeLocked, error) {
	out := new(StakeLocked)
	if err := stake.abi.UnpackIntoInterface(out, "Locked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeNotArbiter represents a NotArbiter error raised by the Stake contract.
type StakeNotArbiter struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotArbiter(address caller)
func StakeNotArbiterErrorID() common.Hash {
	return common.HexToHash("0x720c75c28bf729d07d907a7cb2128014dd379623a8d7da4275d1c2374b21e016")
}

// UnpackNotArbiterError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotArbiter(address caller)
func (stake *Stake) UnpackNotArbiterError(raw []byte) (*StakeNotArbiter, error) {
	out := new(StakeNotArbiter)
	if err := stake.abi.UnpackIntoInterface(out, "NotArbiter", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeNotUnbonding represents a NotUnbonding error raised by the Stake contract.
type StakeNotUnbonding struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotUnbonding()
func StakeNotUnbondingErrorID() common.Hash {
	return common.HexToHash("0x010760850e21b4b279a419fb7d6b977871bae131b80149964565307c2558b467")
}

// UnpackNotUnbondingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotUnbonding()
func (stake *Stake) UnpackNotUnbondingError(raw []byte) (*StakeNotUnbonding, error) {
	out := new(StakeNotUnbonding)
	if err := stake.abi.UnpackIntoInterface(out, "NotUnbonding", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeNothingBonded represents a NothingBonded error raised by the Stake contract.
type StakeNothingBonded struct {
	Staker common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingBonded(address staker)
func StakeNothingBondedErrorID() common.Hash {
	return common.HexToHash("0x09230a5b19fb1e41ef0c90206619047989a25f6c939483d54c93c2f48dc898c3")
}

// UnpackNothingBondedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingBonded(address staker)
func (stake *Stake) UnpackNothingBondedError(raw []byte) (*StakeNothingBonded, error) {
	out := new(StakeNothingBonded)
	if err := stake.abi.UnpackIntoInterface(out, "NothingBonded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeTransferFailed represents a TransferFailed error raised by the Stake contract.
type StakeTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func StakeTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (stake *Stake) UnpackTransferFailedError(raw []byte) (*StakeTransferFailed, error) {
	out := new(StakeTransferFailed)
	if err := stake.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeUnbonding represents a Unbonding error raised by the Stake contract.
type StakeUnbonding struct {
	UnlocksAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Unbonding(uint64 unlocksAt)
func StakeUnbondingErrorID() common.Hash {
	return common.HexToHash("0x1889e60c3d930af1eeedd1c55a7561d66e72129f5e368a37245b63374c0842fd")
}

// UnpackUnbondingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Unbonding(uint64 unlocksAt)
func (stake *Stake) UnpackUnbondingError(raw []byte) (*StakeUnbonding, error) {
	out := new(StakeUnbonding)
	if err := stake.abi.UnpackIntoInterface(out, "Unbonding", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StakeZeroAmount represents a ZeroAmount error raised by the Stake contract.
type StakeZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func StakeZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (stake *Stake) UnpackZeroAmountError(raw []byte) (*StakeZeroAmount, error) {
	out := new(StakeZeroAmount)
	if err := stake.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}
