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

// RangeEscrowMetaData contains all meta data concerning the RangeEscrow contract.
var RangeEscrowMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"verifier_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"root\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"BadAttestation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"BadDeposit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadProof\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadTerms\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"DeadlineNotReached\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"DeadlinePassed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DealExists\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoVerifier\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAttester\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownDeal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"enumRangeEscrow.State\",\"name\":\"state\",\"type\":\"uint8\"}],\"name\":\"WrongState\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"root\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"fallbackTo\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Expired\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"fallbackTo\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"lo\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"hi\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"Opened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Released\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"root\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"attest\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"credit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"name\":\"dealId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"deals\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"lo\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"hi\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"fallbackTo\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"},{\"internalType\":\"enumRangeEscrow.State\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"root\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"expire\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"fallbackTo\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"lo\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"hi\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"open\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"release\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "RangeEscrow",
	Bin: "0x60a0604052348015600e575f5ffd5b50604051611822380380611822833981016040819052602b916064565b806001600160a01b03163b5f036054576040516379e2e00360e01b815260040160405180910390fd5b6001600160a01b0316608052608f565b5f602082840312156073575f5ffd5b81516001600160a01b03811681146088575f5ffd5b9392505050565b6080516117756100ad5f395f818160c9015261047801526117755ff3fe608060405260043610610093575f3560e01c806381cd872a11610066578063c64417981161004c578063c644179814610255578063cb07201514610274578063d5d44d8014610293575f5ffd5b806381cd872a14610156578063af3aa24814610242575f5ffd5b80631bc8a466146100975780632b7ac3f3146100b85780633ccfd60b1461011557806370b6fbec14610129575b5f5ffd5b3480156100a2575f5ffd5b506100b66100b136600461137a565b6102be565b005b3480156100c3575f5ffd5b506100eb7f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff90911681526020015b60405180910390f35b348015610120575f5ffd5b506100b66105e5565b348015610134575f5ffd5b50610148610143366004611414565b61067b565b60405190815260200161010c565b348015610161575f5ffd5b5061022a61017036600461143c565b5f60208190529081526040902080546001820154600283015460038401546004850154600586015460069096015473ffffffffffffffffffffffffffffffffffffffff80871697740100000000000000000000000000000000000000009788900467ffffffffffffffff9081169883891698819004821697848116979082900483169685821696928204909316947c010000000000000000000000000000000000000000000000000000000090910460ff1693921691908c565b60405161010c9c9b9a999897969594939291906114b9565b61014861025036600461159f565b6106d4565b348015610260575f5ffd5b506100b661026f36600461143c565b610af8565b34801561027f575f5ffd5b506100b661028e366004611633565b610d30565b34801561029e575f5ffd5b506101486102ad366004611665565b60016020525f908152604090205481565b5f6102c884610ff6565b9050600260038201547c0100000000000000000000000000000000000000000000000000000000900460ff16600481111561030557610305611453565b1461035a578381600301601c9054906101000a900460ff166040517f2b3263b3000000000000000000000000000000000000000000000000000000008152600401610351929190611685565b60405180910390fd5b600281015474010000000000000000000000000000000000000000900467ffffffffffffffff1642106103e25760028101546040517f676809130000000000000000000000000000000000000000000000000000000081527401000000000000000000000000000000000000000090910467ffffffffffffffff166004820152602401610351565b60408051608081018252825467ffffffffffffffff74010000000000000000000000000000000000000000918290048116835260018501548290048116602084015260038501549190910416818301526006830154606082015290517f6bf062b200000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001690636bf062b2906104b190879087908690600401611699565b5f6040518083038186803b1580156104c7575f5ffd5b505afa9250505080156104d8575060015b61050e576040517f7ca55c7700000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6003820180547fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff167c030000000000000000000000000000000000000000000000000000000017905560018201546005830154600484015473ffffffffffffffffffffffffffffffffffffffff9283169261058b9116838361107c565b6040805173ffffffffffffffffffffffffffffffffffffffff841681526020810183905288917fc8fa66dff4b9073528c3f1bf21a8dc9a18fdf09847e88e96188bc953aef519f0910160405180910390a250505050505050565b335f81815260016020526040808220805490839055905190929083908381818185875af1925050503d805f8114610637576040519150601f19603f3d011682016040523d82523d5f602084013e61063c565b606091505b5050905080610677576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5050565b60408051466020820152309181019190915273ffffffffffffffffffffffffffffffffffffffff83166060820152608081018290525f9060a0016040516020818303038152906040528051906020012090505b92915050565b5f73ffffffffffffffffffffffffffffffffffffffff8916158061070c575073ffffffffffffffffffffffffffffffffffffffff8816155b8061072b575073ffffffffffffffffffffffffffffffffffffffff8716155b80610734575084155b8061075257508267ffffffffffffffff168467ffffffffffffffff16115b806107675750428267ffffffffffffffff1611155b1561079e576040517f8dc5992100000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6107a8338b61067b565b90505f5f828152602081905260409020600301547c0100000000000000000000000000000000000000000000000000000000900460ff1660048111156107f0576107f0611453565b1461082a576040517fb3e2817b00000000000000000000000000000000000000000000000000000000815260048101829052602401610351565b604080516101808101825233815267ffffffffffffffff808716602083015273ffffffffffffffffffffffffffffffffffffffff8c81169383019390935285811660608301528a83166080830152841660a082015290881660c08201525f60e082015261010081016001815273ffffffffffffffffffffffffffffffffffffffff88811660208084019190915260408084018a90525f606094850181905286815280835281902085518154938701519085167fffffffff00000000000000000000000000000000000000000000000000000000948516177401000000000000000000000000000000000000000067ffffffffffffffff9283168102919091178355928701516001830180549789015191871697861697909717908216840217909555608086015160028201805460a089015192871690861617918716840291909117905560c086015160038201805460e089015192909616959094169490941793909416029190911780825561010084015191907fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff167c01000000000000000000000000000000000000000000000000000000008360048111156109f0576109f0611453565b02179055506101208201516004820180547fffffffffffffffffffffffff00000000000000000000000000000000000000001673ffffffffffffffffffffffffffffffffffffffff909216919091179055610140820151600582015561016090910151600690910155610a63868661120c565b6040805173ffffffffffffffffffffffffffffffffffffffff8a811682528981166020830152888116828401526060820188905267ffffffffffffffff878116608084015286811660a0840152851660c08301529151918b1691339184917f01ef7438f79f57c2221d3724070049e8b3b7305b11aa023d8b3522ac232f80c39181900360e00190a49998505050505050505050565b5f610b0282610ff6565b9050600160038201547c0100000000000000000000000000000000000000000000000000000000900460ff166004811115610b3f57610b3f611453565b14158015610b865750600260038201547c0100000000000000000000000000000000000000000000000000000000900460ff166004811115610b8357610b83611453565b14155b15610bd2578181600301601c9054906101000a900460ff166040517f2b3263b3000000000000000000000000000000000000000000000000000000008152600401610351929190611685565b600281015474010000000000000000000000000000000000000000900467ffffffffffffffff16421015610c5b5760028101546040517fbd5145db0000000000000000000000000000000000000000000000000000000081527401000000000000000000000000000000000000000090910467ffffffffffffffff166004820152602401610351565b6003810180547fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff167c040000000000000000000000000000000000000000000000000000000017905560028101546005820154600483015473ffffffffffffffffffffffffffffffffffffffff92831692610cd89116838361107c565b6040805173ffffffffffffffffffffffffffffffffffffffff841681526020810183905285917f6d1248a569234a3268b2cb73fa7c13f799fed274d47f4819c332b421fdb7b5ce91015b60405180910390a250505050565b5f610d3a84610ff6565b600381015490915073ffffffffffffffffffffffffffffffffffffffff163314610d92576040517f14817f2f000000000000000000000000000000000000000000000000000000008152336004820152602401610351565b600160038201547c0100000000000000000000000000000000000000000000000000000000900460ff166004811115610dcd57610dcd611453565b14610e19578381600301601c9054906101000a900460ff166040517f2b3263b3000000000000000000000000000000000000000000000000000000008152600401610351929190611685565b600281015474010000000000000000000000000000000000000000900467ffffffffffffffff164210610ea15760028101546040517f676809130000000000000000000000000000000000000000000000000000000081527401000000000000000000000000000000000000000090910467ffffffffffffffff166004820152602401610351565b7f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f000000183101580610ed8575067ffffffffffffffff8216155b15610f22576040517f58a28d170000000000000000000000000000000000000000000000000000000081526004810184905267ffffffffffffffff83166024820152604401610351565b600681018390556003810180547fffffff000000000000000000ffffffffffffffffffffffffffffffffffffffff167401000000000000000000000000000000000000000067ffffffffffffffff85169081027fffffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffff16919091177c02000000000000000000000000000000000000000000000000000000001790915560408051858152602081019290925285917fa7a0e5eff1ee8c7e500dbbc026253d0fa927268580603dbec8106ced38d903b09101610d22565b5f8181526020819052604081209060038201547c0100000000000000000000000000000000000000000000000000000000900460ff16600481111561103d5761103d611453565b03611077576040517f6a196fcb00000000000000000000000000000000000000000000000000000000815260048101839052602401610351565b919050565b73ffffffffffffffffffffffffffffffffffffffff831661113b575f8273ffffffffffffffffffffffffffffffffffffffff16826040515f6040518083038185875af1925050503d805f81146110ed576040519150601f19603f3d011682016040523d82523d5f602084013e6110f2565b606091505b50509050806111355773ffffffffffffffffffffffffffffffffffffffff83165f908152600160205260408120805484929061112f908490611711565b90915550505b50505050565b6040517fa9059cbb00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83811660048301526024820183905284169063a9059cbb906044016020604051808303815f875af11580156111ad573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906111d19190611749565b611207576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b505050565b73ffffffffffffffffffffffffffffffffffffffff821661126957803414610677576040517f11164c0000000000000000000000000000000000000000000000000000000000815234600482015260248101829052604401610351565b34156112aa576040517f11164c0000000000000000000000000000000000000000000000000000000000815234600482015260248101829052604401610351565b6040517f23b872dd0000000000000000000000000000000000000000000000000000000081523360048201523060248201526044810182905273ffffffffffffffffffffffffffffffffffffffff8316906323b872dd906064016020604051808303815f875af1158015611320573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906113449190611749565b610677576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f5f5f6040848603121561138c575f5ffd5b83359250602084013567ffffffffffffffff8111156113a9575f5ffd5b8401601f810186136113b9575f5ffd5b803567ffffffffffffffff8111156113cf575f5ffd5b8660208284010111156113e0575f5ffd5b939660209190910195509293505050565b803573ffffffffffffffffffffffffffffffffffffffff81168114611077575f5ffd5b5f5f60408385031215611425575f5ffd5b61142e836113f1565b946020939093013593505050565b5f6020828403121561144c575f5ffd5b5035919050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b600581106114b5577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b73ffffffffffffffffffffffffffffffffffffffff8d8116825267ffffffffffffffff8d811660208401528c821660408401528b16606083015289166080820152610180810161151560a083018a67ffffffffffffffff169052565b73ffffffffffffffffffffffffffffffffffffffff881660c083015267ffffffffffffffff871660e083015261154f610100830187611480565b73ffffffffffffffffffffffffffffffffffffffff851661012083015261014082019390935261016001529a9950505050505050505050565b803567ffffffffffffffff81168114611077575f5ffd5b5f5f5f5f5f5f5f5f5f6101208a8c0312156115b8575f5ffd5b893598506115c860208b016113f1565b97506115d660408b016113f1565b96506115e460608b016113f1565b95506115f260808b016113f1565b945060a08a0135935061160760c08b01611588565b925061161560e08b01611588565b91506116246101008b01611588565b90509295985092959850929598565b5f5f5f60608486031215611645575f5ffd5b833592506020840135915061165c60408501611588565b90509250925092565b5f60208284031215611675575f5ffd5b61167e826113f1565b9392505050565b8281526040810161167e6020830184611480565b60a081528260a0820152828460c08301375f60c084830101525f60c07fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f860116830101905060208201835f5b60048110156117065781518352602092830192909101906001016116e7565b505050949350505050565b808201808211156106ce577f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b5f60208284031215611759575f5ffd5b8151801515811461167e575f5ffdfea164736f6c634300081e000a",
}

// RangeEscrow is an auto generated Go binding around an Ethereum contract.
type RangeEscrow struct {
	abi abi.ABI
}

// NewRangeEscrow creates a new instance of RangeEscrow.
func NewRangeEscrow() *RangeEscrow {
	parsed, err := RangeEscrowMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RangeEscrow{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RangeEscrow) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_) returns()
func (rangeEscrow *RangeEscrow) PackConstructor(verifier_ common.Address) []byte {
	enc, err := rangeEscrow.abi.Pack("", verifier_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb072015.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attest(bytes32 id, uint256 root, uint64 count) returns()
func (rangeEscrow *RangeEscrow) PackAttest(id [32]byte, root *big.Int, count uint64) []byte {
	enc, err := rangeEscrow.abi.Pack("attest", id, root, count)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb072015.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attest(bytes32 id, uint256 root, uint64 count) returns()
func (rangeEscrow *RangeEscrow) TryPackAttest(id [32]byte, root *big.Int, count uint64) ([]byte, error) {
	return rangeEscrow.abi.Pack("attest", id, root, count)
}

// PackCredit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5d44d80.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function credit(address ) view returns(uint256)
func (rangeEscrow *RangeEscrow) PackCredit(arg0 common.Address) []byte {
	enc, err := rangeEscrow.abi.Pack("credit", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCredit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5d44d80.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function credit(address ) view returns(uint256)
func (rangeEscrow *RangeEscrow) TryPackCredit(arg0 common.Address) ([]byte, error) {
	return rangeEscrow.abi.Pack("credit", arg0)
}

// UnpackCredit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd5d44d80.
//
// Solidity: function credit(address ) view returns(uint256)
func (rangeEscrow *RangeEscrow) UnpackCredit(data []byte) (*big.Int, error) {
	out, err := rangeEscrow.abi.Unpack("credit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDealId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70b6fbec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function dealId(address payer, bytes32 salt) view returns(bytes32)
func (rangeEscrow *RangeEscrow) PackDealId(payer common.Address, salt [32]byte) []byte {
	enc, err := rangeEscrow.abi.Pack("dealId", payer, salt)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDealId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70b6fbec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function dealId(address payer, bytes32 salt) view returns(bytes32)
func (rangeEscrow *RangeEscrow) TryPackDealId(payer common.Address, salt [32]byte) ([]byte, error) {
	return rangeEscrow.abi.Pack("dealId", payer, salt)
}

// UnpackDealId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70b6fbec.
//
// Solidity: function dealId(address payer, bytes32 salt) view returns(bytes32)
func (rangeEscrow *RangeEscrow) UnpackDealId(data []byte) ([32]byte, error) {
	out, err := rangeEscrow.abi.Unpack("dealId", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDeals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x81cd872a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deals(bytes32 ) view returns(address payer, uint64 lo, address payee, uint64 hi, address fallbackTo, uint64 deadline, address attester, uint64 count, uint8 state, address token, uint256 amount, uint256 root)
func (rangeEscrow *RangeEscrow) PackDeals(arg0 [32]byte) []byte {
	enc, err := rangeEscrow.abi.Pack("deals", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x81cd872a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deals(bytes32 ) view returns(address payer, uint64 lo, address payee, uint64 hi, address fallbackTo, uint64 deadline, address attester, uint64 count, uint8 state, address token, uint256 amount, uint256 root)
func (rangeEscrow *RangeEscrow) TryPackDeals(arg0 [32]byte) ([]byte, error) {
	return rangeEscrow.abi.Pack("deals", arg0)
}

// DealsOutput serves as a container for the return parameters of contract
// method Deals.
type DealsOutput struct {
	Payer      common.Address
	Lo         uint64
	Payee      common.Address
	Hi         uint64
	FallbackTo common.Address
	Deadline   uint64
	Attester   common.Address
	Count      uint64
	State      uint8
	Token      common.Address
	Amount     *big.Int
	Root       *big.Int
}

// UnpackDeals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x81cd872a.
//
// Solidity: function deals(bytes32 ) view returns(address payer, uint64 lo, address payee, uint64 hi, address fallbackTo, uint64 deadline, address attester, uint64 count, uint8 state, address token, uint256 amount, uint256 root)
func (rangeEscrow *RangeEscrow) UnpackDeals(data []byte) (DealsOutput, error) {
	out, err := rangeEscrow.abi.Unpack("deals", data)
	outstruct := new(DealsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Payer = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Lo = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.Payee = *abi.ConvertType(out[2], new(common.Address)).(*common.Address)
	outstruct.Hi = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.FallbackTo = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Deadline = *abi.ConvertType(out[5], new(uint64)).(*uint64)
	outstruct.Attester = *abi.ConvertType(out[6], new(common.Address)).(*common.Address)
	outstruct.Count = *abi.ConvertType(out[7], new(uint64)).(*uint64)
	outstruct.State = *abi.ConvertType(out[8], new(uint8)).(*uint8)
	outstruct.Token = *abi.ConvertType(out[9], new(common.Address)).(*common.Address)
	outstruct.Amount = abi.ConvertType(out[10], new(big.Int)).(*big.Int)
	outstruct.Root = abi.ConvertType(out[11], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackExpire is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc6441798.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function expire(bytes32 id) returns()
func (rangeEscrow *RangeEscrow) PackExpire(id [32]byte) []byte {
	enc, err := rangeEscrow.abi.Pack("expire", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExpire is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc6441798.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function expire(bytes32 id) returns()
func (rangeEscrow *RangeEscrow) TryPackExpire(id [32]byte) ([]byte, error) {
	return rangeEscrow.abi.Pack("expire", id)
}

// PackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf3aa248.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function open(bytes32 salt, address payee, address fallbackTo, address attester, address token, uint256 amount, uint64 lo, uint64 hi, uint64 deadline) payable returns(bytes32 id)
func (rangeEscrow *RangeEscrow) PackOpen(salt [32]byte, payee common.Address, fallbackTo common.Address, attester common.Address, token common.Address, amount *big.Int, lo uint64, hi uint64, deadline uint64) []byte {
	enc, err := rangeEscrow.abi.Pack("open", salt, payee, fallbackTo, attester, token, amount, lo, hi, deadline)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf3aa248.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function open(bytes32 salt, address payee, address fallbackTo, address attester, address token, uint256 amount, uint64 lo, uint64 hi, uint64 deadline) payable returns(bytes32 id)
func (rangeEscrow *RangeEscrow) TryPackOpen(salt [32]byte, payee common.Address, fallbackTo common.Address, attester common.Address, token common.Address, amount *big.Int, lo uint64, hi uint64, deadline uint64) ([]byte, error) {
	return rangeEscrow.abi.Pack("open", salt, payee, fallbackTo, attester, token, amount, lo, hi, deadline)
}

// UnpackOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaf3aa248.
//
// Solidity: function open(bytes32 salt, address payee, address fallbackTo, address attester, address token, uint256 amount, uint64 lo, uint64 hi, uint64 deadline) payable returns(bytes32 id)
func (rangeEscrow *RangeEscrow) UnpackOpen(data []byte) ([32]byte, error) {
	out, err := rangeEscrow.abi.Unpack("open", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1bc8a466.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function release(bytes32 id, bytes proof) returns()
func (rangeEscrow *RangeEscrow) PackRelease(id [32]byte, proof []byte) []byte {
	enc, err := rangeEscrow.abi.Pack("release", id, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRelease is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1bc8a466.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function release(bytes32 id, bytes proof) returns()
func (rangeEscrow *RangeEscrow) TryPackRelease(id [32]byte, proof []byte) ([]byte, error) {
	return rangeEscrow.abi.Pack("release", id, proof)
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (rangeEscrow *RangeEscrow) PackVerifier() []byte {
	enc, err := rangeEscrow.abi.Pack("verifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifier() view returns(address)
func (rangeEscrow *RangeEscrow) TryPackVerifier() ([]byte, error) {
	return rangeEscrow.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (rangeEscrow *RangeEscrow) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := rangeEscrow.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (rangeEscrow *RangeEscrow) PackWithdraw() []byte {
	enc, err := rangeEscrow.abi.Pack("withdraw")
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
func (rangeEscrow *RangeEscrow) TryPackWithdraw() ([]byte, error) {
	return rangeEscrow.abi.Pack("withdraw")
}

// RangeEscrowAttested represents a Attested event raised by the RangeEscrow contract.
type RangeEscrowAttested struct {
	Id    [32]byte
	Root  *big.Int
	Count uint64
	Raw   *types.Log // Blockchain specific contextual infos
}

const RangeEscrowAttestedEventName = "Attested"

// ContractEventName returns the user-defined event name.
func (RangeEscrowAttested) ContractEventName() string {
	return RangeEscrowAttestedEventName
}

// UnpackAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Attested(bytes32 indexed id, uint256 root, uint64 count)
func (rangeEscrow *RangeEscrow) UnpackAttestedEvent(log *types.Log) (*RangeEscrowAttested, error) {
	event := "Attested"
	if len(log.Topics) == 0 || log.Topics[0] != rangeEscrow.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RangeEscrowAttested)
	if len(log.Data) > 0 {
		if err := rangeEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rangeEscrow.abi.Events[event].Inputs {
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

// RangeEscrowExpired represents a Expired event raised by the RangeEscrow contract.
type RangeEscrowExpired struct {
	Id         [32]byte
	FallbackTo common.Address
	Amount     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const RangeEscrowExpiredEventName = "Expired"

// ContractEventName returns the user-defined event name.
func (RangeEscrowExpired) ContractEventName() string {
	return RangeEscrowExpiredEventName
}

// UnpackExpiredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Expired(bytes32 indexed id, address fallbackTo, uint256 amount)
func (rangeEscrow *RangeEscrow) UnpackExpiredEvent(log *types.Log) (*RangeEscrowExpired, error) {
	event := "Expired"
	if len(log.Topics) == 0 || log.Topics[0] != rangeEscrow.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RangeEscrowExpired)
	if len(log.Data) > 0 {
		if err := rangeEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rangeEscrow.abi.Events[event].Inputs {
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

// RangeEscrowOpened represents a Opened event raised by the RangeEscrow contract.
type RangeEscrowOpened struct {
	Id         [32]byte
	Payer      common.Address
	Payee      common.Address
	FallbackTo common.Address
	Attester   common.Address
	Token      common.Address
	Amount     *big.Int
	Lo         uint64
	Hi         uint64
	Deadline   uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RangeEscrowOpenedEventName = "Opened"

// ContractEventName returns the user-defined event name.
func (RangeEscrowOpened) ContractEventName() string {
	return RangeEscrowOpenedEventName
}

// UnpackOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Opened(bytes32 indexed id, address indexed payer, address indexed payee, address fallbackTo, address attester, address token, uint256 amount, uint64 lo, uint64 hi, uint64 deadline)
func (rangeEscrow *RangeEscrow) UnpackOpenedEvent(log *types.Log) (*RangeEscrowOpened, error) {
	event := "Opened"
	if len(log.Topics) == 0 || log.Topics[0] != rangeEscrow.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RangeEscrowOpened)
	if len(log.Data) > 0 {
		if err := rangeEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rangeEscrow.abi.Events[event].Inputs {
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

// RangeEscrowReleased represents a Released event raised by the RangeEscrow contract.
type RangeEscrowReleased struct {
	Id     [32]byte
	Payee  common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const RangeEscrowReleasedEventName = "Released"

// ContractEventName returns the user-defined event name.
func (RangeEscrowReleased) ContractEventName() string {
	return RangeEscrowReleasedEventName
}

// UnpackReleasedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Released(bytes32 indexed id, address payee, uint256 amount)
func (rangeEscrow *RangeEscrow) UnpackReleasedEvent(log *types.Log) (*RangeEscrowReleased, error) {
	event := "Released"
	if len(log.Topics) == 0 || log.Topics[0] != rangeEscrow.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RangeEscrowReleased)
	if len(log.Data) > 0 {
		if err := rangeEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rangeEscrow.abi.Events[event].Inputs {
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
func (rangeEscrow *RangeEscrow) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["BadAttestation"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackBadAttestationError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["BadDeposit"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackBadDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["BadProof"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackBadProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["BadTerms"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackBadTermsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["DeadlineNotReached"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackDeadlineNotReachedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["DeadlinePassed"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackDeadlinePassedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["DealExists"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackDealExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["NoVerifier"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackNoVerifierError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["NotAttester"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackNotAttesterError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["UnknownDeal"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackUnknownDealError(raw[4:])
	}
	if bytes.Equal(raw[:4], rangeEscrow.abi.Errors["WrongState"].ID.Bytes()[:4]) {
		return rangeEscrow.UnpackWrongStateError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RangeEscrowBadAttestation represents a BadAttestation error raised by the RangeEscrow contract.
type RangeEscrowBadAttestation struct {
	Root  *big.Int
	Count uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadAttestation(uint256 root, uint64 count)
func RangeEscrowBadAttestationErrorID() common.Hash {
	return common.HexToHash("0x58a28d1731deff4e91c828fa1028620c90529b9ba0d0f712fb11b1f4e22cc97c")
}

// UnpackBadAttestationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadAttestation(uint256 root, uint64 count)
func (rangeEscrow *RangeEscrow) UnpackBadAttestationError(raw []byte) (*RangeEscrowBadAttestation, error) {
	out := new(RangeEscrowBadAttestation)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "BadAttestation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowBadDeposit represents a BadDeposit error raised by the RangeEscrow contract.
type RangeEscrowBadDeposit struct {
	Value  *big.Int
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadDeposit(uint256 value, uint256 amount)
func RangeEscrowBadDepositErrorID() common.Hash {
	return common.HexToHash("0x11164c00d01559f379e52f6d4b63d33777c664b6fa33458bc46d6a99dba71b21")
}

// UnpackBadDepositError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadDeposit(uint256 value, uint256 amount)
func (rangeEscrow *RangeEscrow) UnpackBadDepositError(raw []byte) (*RangeEscrowBadDeposit, error) {
	out := new(RangeEscrowBadDeposit)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "BadDeposit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowBadProof represents a BadProof error raised by the RangeEscrow contract.
type RangeEscrowBadProof struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadProof()
func RangeEscrowBadProofErrorID() common.Hash {
	return common.HexToHash("0x7ca55c774976027f27f73629387ed99a2044a8721aec39c3c2717944b08c423a")
}

// UnpackBadProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadProof()
func (rangeEscrow *RangeEscrow) UnpackBadProofError(raw []byte) (*RangeEscrowBadProof, error) {
	out := new(RangeEscrowBadProof)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "BadProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowBadTerms represents a BadTerms error raised by the RangeEscrow contract.
type RangeEscrowBadTerms struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadTerms()
func RangeEscrowBadTermsErrorID() common.Hash {
	return common.HexToHash("0x8dc599212cab654299a2bf31d0baab479b0ef032e5276a7206a05bbb2910ec06")
}

// UnpackBadTermsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadTerms()
func (rangeEscrow *RangeEscrow) UnpackBadTermsError(raw []byte) (*RangeEscrowBadTerms, error) {
	out := new(RangeEscrowBadTerms)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "BadTerms", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowDeadlineNotReached represents a DeadlineNotReached error raised by the RangeEscrow contract.
type RangeEscrowDeadlineNotReached struct {
	Deadline uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlineNotReached(uint64 deadline)
func RangeEscrowDeadlineNotReachedErrorID() common.Hash {
	return common.HexToHash("0xbd5145db3e26b65e37d7691b2b64b2ef714256dc0192fbc245167645d0ab1200")
}

// UnpackDeadlineNotReachedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlineNotReached(uint64 deadline)
func (rangeEscrow *RangeEscrow) UnpackDeadlineNotReachedError(raw []byte) (*RangeEscrowDeadlineNotReached, error) {
	out := new(RangeEscrowDeadlineNotReached)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "DeadlineNotReached", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowDeadlinePassed represents a DeadlinePassed error raised by the RangeEscrow contract.
type RangeEscrowDeadlinePassed struct {
	Deadline uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlinePassed(uint64 deadline)
func RangeEscrowDeadlinePassedErrorID() common.Hash {
	return common.HexToHash("0x6768091307d5da213ba3ac1392311a935d1607f1020232ee01d118de33b68661")
}

// UnpackDeadlinePassedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlinePassed(uint64 deadline)
func (rangeEscrow *RangeEscrow) UnpackDeadlinePassedError(raw []byte) (*RangeEscrowDeadlinePassed, error) {
	out := new(RangeEscrowDeadlinePassed)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "DeadlinePassed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowDealExists represents a DealExists error raised by the RangeEscrow contract.
type RangeEscrowDealExists struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DealExists(bytes32 id)
func RangeEscrowDealExistsErrorID() common.Hash {
	return common.HexToHash("0xb3e2817b959853b0c0e422419836f9dcbdcac91a2744580c66e7c31a5ce43308")
}

// UnpackDealExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DealExists(bytes32 id)
func (rangeEscrow *RangeEscrow) UnpackDealExistsError(raw []byte) (*RangeEscrowDealExists, error) {
	out := new(RangeEscrowDealExists)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "DealExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowNoVerifier represents a NoVerifier error raised by the RangeEscrow contract.
type RangeEscrowNoVerifier struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoVerifier()
func RangeEscrowNoVerifierErrorID() common.Hash {
	return common.HexToHash("0x79e2e003121ccccb14b9d6ad556551fcc26325bb1110996393d1abd965e5fc75")
}

// UnpackNoVerifierError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoVerifier()
func (rangeEscrow *RangeEscrow) UnpackNoVerifierError(raw []byte) (*RangeEscrowNoVerifier, error) {
	out := new(RangeEscrowNoVerifier)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "NoVerifier", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowNotAttester represents a NotAttester error raised by the RangeEscrow contract.
type RangeEscrowNotAttester struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAttester(address caller)
func RangeEscrowNotAttesterErrorID() common.Hash {
	return common.HexToHash("0x14817f2f584570953b41dcf787fe5799176797b67ea0429f314f3bca83b3274a")
}

// UnpackNotAttesterError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAttester(address caller)
func (rangeEscrow *RangeEscrow) UnpackNotAttesterError(raw []byte) (*RangeEscrowNotAttester, error) {
	out := new(RangeEscrowNotAttester)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "NotAttester", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowTransferFailed represents a TransferFailed error raised by the RangeEscrow contract.
type RangeEscrowTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func RangeEscrowTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (rangeEscrow *RangeEscrow) UnpackTransferFailedError(raw []byte) (*RangeEscrowTransferFailed, error) {
	out := new(RangeEscrowTransferFailed)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowUnknownDeal represents a UnknownDeal error raised by the RangeEscrow contract.
type RangeEscrowUnknownDeal struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDeal(bytes32 id)
func RangeEscrowUnknownDealErrorID() common.Hash {
	return common.HexToHash("0x6a196fcbcdcdb067972df2f1c108c9216b42fae2a484a8af630d0e4942eb772f")
}

// UnpackUnknownDealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDeal(bytes32 id)
func (rangeEscrow *RangeEscrow) UnpackUnknownDealError(raw []byte) (*RangeEscrowUnknownDeal, error) {
	out := new(RangeEscrowUnknownDeal)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "UnknownDeal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RangeEscrowWrongState represents a WrongState error raised by the RangeEscrow contract.
type RangeEscrowWrongState struct {
	Id    [32]byte
	State uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongState(bytes32 id, uint8 state)
func RangeEscrowWrongStateErrorID() common.Hash {
	return common.HexToHash("0x2b3263b3bc5546a88f5c442a231d009ce5a89c34654ca9a7911b5bb3939a1f60")
}

// UnpackWrongStateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongState(bytes32 id, uint8 state)
func (rangeEscrow *RangeEscrow) UnpackWrongStateError(raw []byte) (*RangeEscrowWrongState, error) {
	out := new(RangeEscrowWrongState)
	if err := rangeEscrow.abi.UnpackIntoInterface(out, "WrongState", raw); err != nil {
		return nil, err
	}
	return out, nil
}
