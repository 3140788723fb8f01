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

// PaymentChannelsSignedVoucher is an auto generated low-level Go binding around an user-defined struct.
type PaymentChannelsSignedVoucher struct {
	Voucher   PaymentChannelsVoucher
	Signature []byte
}

// PaymentChannelsVoucher is an auto generated low-level Go binding around an user-defined struct.
type PaymentChannelsVoucher struct {
	Channel       [32]byte
	Lane          uint64
	Nonce         uint64
	Amount        *big.Int
	NotBefore     uint64
	NotAfter      uint64
	ConditionHash uint8
	Condition     [32]byte
}

// PaymentChannelsMetaData contains all meta data concerning the PaymentChannels contract.
var PaymentChannelsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"AlreadyClosing\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"BadDeposit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadProof\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recovered\",\"type\":\"address\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"settleDelay\",\"type\":\"uint64\"}],\"name\":\"BadTiming\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"}],\"name\":\"ChallengeOver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"ChannelExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"}],\"name\":\"ConditionUnmet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"Expired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAllowed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"NotClosing\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"NotExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"}],\"name\":\"SettleTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"lane\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"}],\"name\":\"StaleVoucher\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"}],\"name\":\"TimeLocked\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownChannel\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WrongChannel\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"}],\"name\":\"Closing\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toPayee\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toPayer\",\"type\":\"uint256\"}],\"name\":\"Collected\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"leaf\",\"type\":\"bytes32\"}],\"name\":\"ConditionFulfilled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"lane\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"}],\"name\":\"LaneUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"settleDelay\",\"type\":\"uint64\"}],\"name\":\"Opened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toPayer\",\"type\":\"uint256\"}],\"name\":\"Recovered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"ToppedUp\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"CONDITION_SHA256\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"FINISHED\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"VOUCHER_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"channel\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"lane\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"conditionHash\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"}],\"internalType\":\"structPaymentChannels.Voucher\",\"name\":\"voucher\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"internalType\":\"structPaymentChannels.SignedVoucher[]\",\"name\":\"vouchers\",\"type\":\"tuple[]\"}],\"name\":\"challenge\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"name\":\"channelId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"channels\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"settleDelay\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"channel\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"lane\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"conditionHash\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"}],\"internalType\":\"structPaymentChannels.Voucher\",\"name\":\"voucher\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"internalType\":\"structPaymentChannels.SignedVoucher[]\",\"name\":\"vouchers\",\"type\":\"tuple[]\"}],\"name\":\"close\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"collect\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"credit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"reading\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"size\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"path\",\"type\":\"bytes32[]\"}],\"name\":\"fulfil\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"fulfilled\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"lanes\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"settleDelay\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"name\":\"open\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"recover\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"newExpiry\",\"type\":\"uint64\"}],\"name\":\"topUp\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"channel\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"lane\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"notBefore\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"notAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"conditionHash\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"condition\",\"type\":\"bytes32\"}],\"internalType\":\"structPaymentChannels.Voucher\",\"name\":\"v\",\"type\":\"tuple\"}],\"name\":\"voucherDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "PaymentChannels",
	Bin: "0x6080604052348015600e575f5ffd5b506128d38061001c5f395ff3fe608060405260043610610123575f3560e01c806394739e87116100a1578063d071f7b111610071578063d99b7c9011610057578063d99b7c90146104d2578063f698da25146104e5578063fa15261014610598575f5ffd5b8063d071f7b114610488578063d5d44d80146104a7575f5ffd5b806394739e87146103dc578063992be2461461040f578063a63d6de614610435578063b54e5e8f14610454575f5ffd5b8063497777d5116100f65780635c1fa03f116100dc5780635c1fa03f1461025d5780636f31ab95146102c45780637a7ebd7b146102e3575f5ffd5b8063497777d51461022b5780635719dd161461024a575f5ffd5b80632396ab69146101275780632aa91bfd146101b85780633ccfd60b146101f657806346e740101461020c575b5f5ffd5b348015610132575f5ffd5b506101a5610141366004612382565b6040805146602080830191909152308284015273ffffffffffffffffffffffffffffffffffffffff968716606083015294861660808201529290941660a083015260c0808301919091528351808303909101815260e0909101909252815191012090565b6040519081526020015b60405180910390f35b3480156101c3575f5ffd5b506101e66101d23660046123ca565b60026020525f908152604090205460ff1681565b60405190151581526020016101af565b348015610201575f5ffd5b5061020a6105b7565b005b348015610217575f5ffd5b5061020a610226366004612429565b61064d565b348015610236575f5ffd5b5061020a6102453660046123ca565b610867565b6101a5610258366004612488565b610a42565b348015610268575f5ffd5b506102a46102773660046124fe565b600160208181525f93845260408085209091529183529120805491015467ffffffffffffffff9091169082565b6040805167ffffffffffffffff90931683526020830191909152016101af565b3480156102cf575f5ffd5b506101a56102de366004612528565b610eea565b3480156102ee575f5ffd5b5061036f6102fd3660046123ca565b5f6020819052908152604090208054600182015460028301546003840154600485015460059095015473ffffffffffffffffffffffffffffffffffffffff8086169667ffffffffffffffff600160a01b9788900481169787841697819004821696808516969190049091169392169189565b6040805173ffffffffffffffffffffffffffffffffffffffff9a8b16815267ffffffffffffffff998a166020820152978a169088015294871660608701529287166080860152941660a08401529390921660c082015260e0810192909252610100820152610120016101af565b3480156103e7575f5ffd5b506101a57f673c802366d4e22aa49aee39d77c27b1d138eee9654796e9f196eef84b73b87281565b34801561041a575f5ffd5b50610423600281565b60405160ff90911681526020016101af565b348015610440575f5ffd5b506101a561044f366004612542565b6110d8565b34801561045f575f5ffd5b5061046f67ffffffffffffffff81565b60405167ffffffffffffffff90911681526020016101af565b348015610493575f5ffd5b5061020a6104a23660046123ca565b6112c7565b3480156104b2575f5ffd5b506101a56104c13660046125fc565b60036020525f908152604090205481565b61020a6104e0366004612615565b61149d565b3480156104f0575f5ffd5b506101a5604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f77cf6ea4c54d51f994fd8996d168e129c1f6f08735864e232e17afdad0f31c53918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b3480156105a3575f5ffd5b5061020a6105b2366004612429565b611693565b335f81815260036020526040808220805490839055905190929083908381818185875af1925050503d805f8114610609576040519150601f19603f3d011682016040523d82523d5f602084013e61060e565b606091505b5050905080610649576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5050565b5f61065784611769565b600181015490915073ffffffffffffffffffffffffffffffffffffffff16331480159061069b5750805473ffffffffffffffffffffffffffffffffffffffff163314155b156106d9576040517ffa5cd00f0000000000000000000000000000000000000000000000000000000081523360048201526024015b60405180910390fd5b6002810154600160a01b900467ffffffffffffffff1615610729576040517f9df22b34000000000000000000000000000000000000000000000000000000008152600481018590526024016106d0565b600181015473ffffffffffffffffffffffffffffffffffffffff163314801561076457508054600160a01b900467ffffffffffffffff164210155b156107b05780546040517f95693653000000000000000000000000000000000000000000000000000000008152600160a01b90910467ffffffffffffffff1660048201526024016106d0565b60018101545f906107d290600160a01b900467ffffffffffffffff1642612674565b6002830180547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff16600160a01b67ffffffffffffffff841602179055905061081c858386866117ee565b6040805133815267ffffffffffffffff8316602082015286917f6005950091dcf30d5260099f1b30ac3937a57c88f60783ab4fe438c4ba85d102910160405180910390a25050505050565b5f61087182611769565b6002810154909150600160a01b900467ffffffffffffffff165f036108c5576040517f713ee726000000000000000000000000000000000000000000000000000000008152600481018390526024016106d0565b6002810154600160a01b900467ffffffffffffffff1642101561092c5760028101546040517f4fc32a85000000000000000000000000000000000000000000000000000000008152600160a01b90910467ffffffffffffffff1660048201526024016106d0565b5f816004015482600501541061094657816004015461094c565b81600501545b90505f81836004015461095f919061269a565b83546001850154600386015492935073ffffffffffffffffffffffffffffffffffffffff9182169290821691166109e8866002810180547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff167bffffffffffffffff00000000000000000000000000000000000000001790555f60048201819055600590910155565b6109f3818387611c7a565b6109fe818486611c7a565b604080518681526020810186905288917f5b0e66d0c3380ec932e79d401fb6de79cb218f3395e236967d649fca101340e0910160405180910390a250505050505050565b5f428467ffffffffffffffff16111580610a64575067ffffffffffffffff8316155b15610aaf576040517fd45d2e4400000000000000000000000000000000000000000000000000000000815267ffffffffffffffff8086166004830152841660248201526044016106d0565b73ffffffffffffffffffffffffffffffffffffffff88161580610ae6575073ffffffffffffffffffffffffffffffffffffffff8716155b15610b1f576040517ffa5cd00f0000000000000000000000000000000000000000000000000000000081525f60048201526024016106d0565b6040805146602080830191909152308284015233606083015273ffffffffffffffffffffffffffffffffffffffff808c166080840152891660a083015260c08083018690528351808403909101815260e090920190925280519101205f8181526020819052604090205490915073ffffffffffffffffffffffffffffffffffffffff1615610bdc576040517fa940c060000000000000000000000000000000000000000000000000000000008152600481018290526024016106d0565b6040518061012001604052803373ffffffffffffffffffffffffffffffffffffffff1681526020018567ffffffffffffffff1681526020018973ffffffffffffffffffffffffffffffffffffffff1681526020018467ffffffffffffffff1681526020018873ffffffffffffffffffffffffffffffffffffffff1681526020015f67ffffffffffffffff1681526020018773ffffffffffffffffffffffffffffffffffffffff1681526020018681526020015f8152505f5f8381526020019081526020015f205f820151815f015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff1602179055506020820151815f0160146101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506040820151816001015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060608201518160010160146101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506080820151816002015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060a08201518160020160146101000a81548167ffffffffffffffff021916908367ffffffffffffffff16021790555060c0820151816003015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060e082015181600401556101008201518160050155905050610e668686611e15565b6040805173ffffffffffffffffffffffffffffffffffffffff8981168252888116602083015291810187905267ffffffffffffffff80871660608301528516608082015290891690339083907f9339414769fb82c7a3a3ae4fc648319ab0590fb2873228c12c130395c00d1cdc9060a00160405180910390a4979650505050505050565b5f807f673c802366d4e22aa49aee39d77c27b1d138eee9654796e9f196eef84b73b8728335610f1f60408601602087016126ad565b610f2f60608701604088016126ad565b6060870135610f4460a0890160808a016126ad565b610f5460c08a0160a08b016126ad565b610f6460e08b0160c08c016126c6565b60408051602081019990995288019690965267ffffffffffffffff9485166060880152928416608087015260a0860191909152821660c08501521660e08381019190915260ff9091166101008301528401356101208201526101400160405160208183030381529060405280519060200120905061107f604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f77cf6ea4c54d51f994fd8996d168e129c1f6f08735864e232e17afdad0f31c53918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b6040517f1901000000000000000000000000000000000000000000000000000000000000602082015260228101919091526042810182905260620160405160208183030381529060405280519060200120915050919050565b5f5f60025f60f81b89896040516020016110f4939291906126e6565b604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529082905261112c91612721565b602060405180830381855afa158015611147573d5f5f3e3d5ffd5b5050506040513d601f19601f8201168201806040525081019061116a9190612737565b905061117a81878787878e611f90565b6111b0576040517f7ca55c7700000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60408051602081018b9052908101829052600290606001604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0818403018152908290526111ff91612721565b602060405180830381855afa15801561121a573d5f5f3e3d5ffd5b5050506040513d601f19601f8201168201806040525081019061123d9190612737565b5f818152600260205260409081902080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660011790555190925082907f72441ea9864ea2b53241fbe77e3de1d358281107ca9e4dd669dd7c6a91d411f9906112b3908c908590918252602082015260400190565b60405180910390a250979650505050505050565b5f6112d182611769565b805490915073ffffffffffffffffffffffffffffffffffffffff163314611326576040517ffa5cd00f0000000000000000000000000000000000000000000000000000000081523360048201526024016106d0565b6002810154600160a01b900467ffffffffffffffff1615611376576040517f9df22b34000000000000000000000000000000000000000000000000000000008152600481018390526024016106d0565b8054600160a01b900467ffffffffffffffff164210156113d75780546040517fb8b92567000000000000000000000000000000000000000000000000000000008152600160a01b90910467ffffffffffffffff1660048201526024016106d0565b6004810154600382015473ffffffffffffffffffffffffffffffffffffffff16611453836002810180547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff167bffffffffffffffff00000000000000000000000000000000000000001790555f60048201819055600590910155565b61145e813384611c7a565b837ec33b0ea4c2c8c38c7afe21ce0f7a78372d5a6bb7d66bc96a54cba9ab19638a8360405161148f91815260200190565b60405180910390a250505050565b5f6114a784611769565b805490915073ffffffffffffffffffffffffffffffffffffffff1633146114fc576040517ffa5cd00f0000000000000000000000000000000000000000000000000000000081523360048201526024016106d0565b6002810154600160a01b900467ffffffffffffffff161561154c576040517f9df22b34000000000000000000000000000000000000000000000000000000008152600481018590526024016106d0565b67ffffffffffffffff82161561160757805467ffffffffffffffff600160a01b909104811690831610156115ce5760018101546040517fd45d2e4400000000000000000000000000000000000000000000000000000000815267ffffffffffffffff8481166004830152600160a01b90920490911660248201526044016106d0565b80547fffffffff0000000000000000ffffffffffffffffffffffffffffffffffffffff16600160a01b67ffffffffffffffff8416021781555b82816004015f82825461161a919061274e565b909155505060038101546116449073ffffffffffffffffffffffffffffffffffffffff1684611e15565b6004810154815460408051928352600160a01b90910467ffffffffffffffff16602083015285917f47e7301b6e9991b942d2a6133ec7fd100b90811395265161b9b681613a987a0a910161148f565b5f61169d84611769565b6002810154909150600160a01b900467ffffffffffffffff165f036116f1576040517f713ee726000000000000000000000000000000000000000000000000000000008152600481018590526024016106d0565b6002810154600160a01b900467ffffffffffffffff1642106117575760028101546040517f7d299ba8000000000000000000000000000000000000000000000000000000008152600160a01b90910467ffffffffffffffff1660048201526024016106d0565b611763848285856117ee565b50505050565b5f818152602081905260409020805473ffffffffffffffffffffffffffffffffffffffff1615806117af57506002810154600160a01b900467ffffffffffffffff908116145b156117e9576040517fb08fc1cb000000000000000000000000000000000000000000000000000000008152600481018390526024016106d0565b919050565b60058301545f5b82811015611c6b573684848381811061181057611810612761565b9050602002810190611822919061278e565b905080358714611861576040517fc38095da000000000000000000000000000000000000000000000000000000008152813560048201526024016106d0565b61187160a08201608083016126ad565b67ffffffffffffffff164210806118c3575061189360c0820160a083016126ad565b67ffffffffffffffff16158015906118c357506118b660c0820160a083016126ad565b67ffffffffffffffff1642115b1561192e576118d860a08201608083016126ad565b6118e860c0830160a084016126ad565b6040517fc350c67d00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff9283166004820152911660248201526044016106d0565b61193e60e0820160c083016126c6565b60ff16151580611951575060e081013515155b156119c857600261196860e0830160c084016126c6565b60ff1614158061198b575060e08101355f9081526002602052604090205460ff16155b156119c8576040517fe18b861c00000000000000000000000000000000000000000000000000000000815260e082013560048201526024016106d0565b5f611a0d6119d583610eea565b8787868181106119e7576119e7612761565b90506020028101906119f9919061278e565b611a08906101008101906127ca565b61222e565b600288015490915073ffffffffffffffffffffffffffffffffffffffff808316911614611a7e576040517f9a7d38d900000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff821660048201526024016106d0565b5f888152600160209081526040808320918391611aa0919087019087016126ad565b67ffffffffffffffff1667ffffffffffffffff1681526020019081526020015f209050806001015483606001351080611b0f575080600101548360600135148015611b0f5750805467ffffffffffffffff16611b0260608501604086016126ad565b67ffffffffffffffff1611155b15611b7a57611b2460408401602085016126ad565b611b3460608501604086016126ad565b6040517f18810f8700000000000000000000000000000000000000000000000000000000815267ffffffffffffffff9283166004820152911660248201526044016106d0565b8260600135816001015486611b8f919061269a565b611b99919061274e565b9450611bab60608401604085016126ad565b81547fffffffffffffffffffffffffffffffffffffffffffffffff00000000000000001667ffffffffffffffff9190911617815560608301356001820155887f403a5877ae4ffd21e83cac78ee419de934711d32699fbed686643dc33b19c685611c1b60408601602087016126ad565b611c2b60608701604088016126ad565b6040805167ffffffffffffffff938416815291909216602082015260608781013582840152810189905290519081900360800190a25050506001016117f5565b50600590930192909255505050565b805f03611c8657505050565b73ffffffffffffffffffffffffffffffffffffffff8316611d44575f8273ffffffffffffffffffffffffffffffffffffffff16826040515f6040518083038185875af1925050503d805f8114611cf7576040519150601f19603f3d011682016040523d82523d5f602084013e611cfc565b606091505b50509050806117635773ffffffffffffffffffffffffffffffffffffffff83165f9081526003602052604081208054849290611d3990849061274e565b909155505050505050565b6040517fa9059cbb00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83811660048301526024820183905284169063a9059cbb906044016020604051808303815f875af1158015611db6573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611dda919061282b565b611e10576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b505050565b73ffffffffffffffffffffffffffffffffffffffff8216611e7257803414610649576040517f11164c00000000000000000000000000000000000000000000000000000000008152346004820152602481018290526044016106d0565b3415611eb3576040517f11164c00000000000000000000000000000000000000000000000000000000008152346004820152602481018290526044016106d0565b8015801590611f5957506040517f23b872dd0000000000000000000000000000000000000000000000000000000081523360048201523060248201526044810182905273ffffffffffffffffffffffffffffffffffffffff8316906323b872dd906064016020604051808303815f875af1158015611f33573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611f57919061282b565b155b15610649576040517f90b8ec1800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f848610611f9f57505f612224565b855f611fac60018861269a565b9050885f5b8681101561221057825f03611fcc575f945050505050612224565b8360011660011480611fdd57508284145b1561210a5760027f010000000000000000000000000000000000000000000000000000000000000089898481811061201757612017612761565b6040517fff0000000000000000000000000000000000000000000000000000000000000090941660208581019190915202919091013560218301525060418101849052606101604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529082905261209591612721565b602060405180830381855afa1580156120b0573d5f5f3e3d5ffd5b5050506040513d601f19601f820116820180604052508101906120d39190612737565b9150836001165f03612105575b600184161580156120f057508315155b1561210557600193841c939290921c916120e0565b612200565b60027f0100000000000000000000000000000000000000000000000000000000000000838a8a8581811061214057612140612761565b6040517fff000000000000000000000000000000000000000000000000000000000000009095166020868101919091526021860194909452929092020135604183015250606101604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0818403018152908290526121bf91612721565b602060405180830381855afa1580156121da573d5f5f3e3d5ffd5b5050506040513d601f19601f820116820180604052508101906121fd9190612737565b91505b600193841c9392831c9201611fb1565b508115801561221e57508481145b93505050505b9695505050505050565b5f6041821461223e57505f612358565b5f61224c602082858761284a565b61225591612871565b90505f61226660406020868861284a565b61226f91612871565b90505f8585604081811061228557612285612761565b919091013560f81c915050601b8110156122a7576122a4601b826128ad565b90505b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08211806122e857508060ff16601b141580156122e857508060ff16601c14155b156122f8575f9350505050612358565b604080515f81526020810180835289905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa158015612348573d5f5f3e3d5ffd5b5050506020604051035193505050505b9392505050565b803573ffffffffffffffffffffffffffffffffffffffff811681146117e9575f5ffd5b5f5f5f5f60808587031215612395575f5ffd5b61239e8561235f565b93506123ac6020860161235f565b92506123ba6040860161235f565b9396929550929360600135925050565b5f602082840312156123da575f5ffd5b5035919050565b5f5f83601f8401126123f1575f5ffd5b50813567ffffffffffffffff811115612408575f5ffd5b6020830191508360208260051b8501011115612422575f5ffd5b9250929050565b5f5f5f6040848603121561243b575f5ffd5b83359250602084013567ffffffffffffffff811115612458575f5ffd5b612464868287016123e1565b9497909650939450505050565b803567ffffffffffffffff811681146117e9575f5ffd5b5f5f5f5f5f5f5f60e0888a03121561249e575f5ffd5b6124a78861235f565b96506124b56020890161235f565b95506124c36040890161235f565b9450606088013593506124d860808901612471565b92506124e660a08901612471565b96999598509396929591949193505060c09091013590565b5f5f6040838503121561250f575f5ffd5b8235915061251f60208401612471565b90509250929050565b5f61010082840312801561253a575f5ffd5b509092915050565b5f5f5f5f5f5f5f60a0888a031215612558575f5ffd5b87359650602088013567ffffffffffffffff811115612575575f5ffd5b8801601f81018a13612585575f5ffd5b803567ffffffffffffffff81111561259b575f5ffd5b8a60208284010111156125ac575f5ffd5b602091909101965094506040880135935060608801359250608088013567ffffffffffffffff8111156125dd575f5ffd5b6125e98a828b016123e1565b989b979a50959850939692959293505050565b5f6020828403121561260c575f5ffd5b6123588261235f565b5f5f5f60608486031215612627575f5ffd5b833592506020840135915061263e60408501612471565b90509250925092565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b67ffffffffffffffff818116838216019081111561269457612694612647565b92915050565b8181038181111561269457612694612647565b5f602082840312156126bd575f5ffd5b61235882612471565b5f602082840312156126d6575f5ffd5b813560ff81168114612358575f5ffd5b7fff0000000000000000000000000000000000000000000000000000000000000084168152818360018301375f910160010190815292915050565b5f82518060208501845e5f920191825250919050565b5f60208284031215612747575f5ffd5b5051919050565b8082018082111561269457612694612647565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f82357ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffee18336030181126127c0575f5ffd5b9190910192915050565b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe18436030181126127fd575f5ffd5b83018035915067ffffffffffffffff821115612817575f5ffd5b602001915036819003821315612422575f5ffd5b5f6020828403121561283b575f5ffd5b81518015158114612358575f5ffd5b5f5f85851115612858575f5ffd5b83861115612864575f5ffd5b5050820193919092039150565b80356020831015612694577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff602084900360031b1b1692915050565b60ff81811683821601908111156126945761269461264756fea164736f6c634300081e000a",
}

// PaymentChannels is an auto generated Go binding around an Ethereum contract.
type PaymentChannels struct {
	abi abi.ABI
}

// NewPaymentChannels creates a new instance of PaymentChannels.
func NewPaymentChannels() *PaymentChannels {
	parsed, err := PaymentChannelsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &PaymentChannels{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *PaymentChannels) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackCONDITIONSHA256 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x992be246.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function CONDITION_SHA256() view returns(uint8)
func (paymentChannels *PaymentChannels) PackCONDITIONSHA256() []byte {
	enc, err := paymentChannels.abi.Pack("CONDITION_SHA256")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCONDITIONSHA256 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x992be246.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function CONDITION_SHA256() view returns(uint8)
func (paymentChannels *PaymentChannels) TryPackCONDITIONSHA256() ([]byte, error) {
	return paymentChannels.abi.Pack("CONDITION_SHA256")
}

// UnpackCONDITIONSHA256 is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x992be246.
//
// Solidity: function CONDITION_SHA256() view returns(uint8)
func (paymentChannels *PaymentChannels) UnpackCONDITIONSHA256(data []byte) (uint8, error) {
	out, err := paymentChannels.abi.Unpack("CONDITION_SHA256", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFINISHED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb54e5e8f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function FINISHED() view returns(uint64)
func (paymentChannels *PaymentChannels) PackFINISHED() []byte {
	enc, err := paymentChannels.abi.Pack("FINISHED")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFINISHED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb54e5e8f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function FINISHED() view returns(uint64)
func (paymentChannels *PaymentChannels) TryPackFINISHED() ([]byte, error) {
	return paymentChannels.abi.Pack("FINISHED")
}

// UnpackFINISHED is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb54e5e8f.
//
// Solidity: function FINISHED() view returns(uint64)
func (paymentChannels *PaymentChannels) UnpackFINISHED(data []byte) (uint64, error) {
	out, err := paymentChannels.abi.Unpack("FINISHED", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackVOUCHERTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x94739e87.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (paymentChannels *PaymentChannels) PackVOUCHERTYPEHASH() []byte {
	enc, err := paymentChannels.abi.Pack("VOUCHER_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVOUCHERTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x94739e87.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (paymentChannels *PaymentChannels) TryPackVOUCHERTYPEHASH() ([]byte, error) {
	return paymentChannels.abi.Pack("VOUCHER_TYPEHASH")
}

// UnpackVOUCHERTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x94739e87.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (paymentChannels *PaymentChannels) UnpackVOUCHERTYPEHASH(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("VOUCHER_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa152610.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function challenge(bytes32 id, ((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32),bytes)[] vouchers) returns()
func (paymentChannels *PaymentChannels) PackChallenge(id [32]byte, vouchers []PaymentChannelsSignedVoucher) []byte {
	enc, err := paymentChannels.abi.Pack("challenge", id, vouchers)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa152610.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function challenge(bytes32 id, ((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32),bytes)[] vouchers) returns()
func (paymentChannels *PaymentChannels) TryPackChallenge(id [32]byte, vouchers []PaymentChannelsSignedVoucher) ([]byte, error) {
	return paymentChannels.abi.Pack("challenge", id, vouchers)
}

// PackChannelId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2396ab69.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channelId(address payer, address payee, address token, bytes32 salt) view returns(bytes32)
func (paymentChannels *PaymentChannels) PackChannelId(payer common.Address, payee common.Address, token common.Address, salt [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("channelId", payer, payee, token, salt)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannelId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2396ab69.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channelId(address payer, address payee, address token, bytes32 salt) view returns(bytes32)
func (paymentChannels *PaymentChannels) TryPackChannelId(payer common.Address, payee common.Address, token common.Address, salt [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("channelId", payer, payee, token, salt)
}

// UnpackChannelId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2396ab69.
//
// Solidity: function channelId(address payer, address payee, address token, bytes32 salt) view returns(bytes32)
func (paymentChannels *PaymentChannels) UnpackChannelId(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("channelId", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a7ebd7b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channels(bytes32 ) view returns(address payer, uint64 expiry, address payee, uint64 settleDelay, address signer, uint64 closesAt, address token, uint256 deposit, uint256 owed)
func (paymentChannels *PaymentChannels) PackChannels(arg0 [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("channels", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a7ebd7b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channels(bytes32 ) view returns(address payer, uint64 expiry, address payee, uint64 settleDelay, address signer, uint64 closesAt, address token, uint256 deposit, uint256 owed)
func (paymentChannels *PaymentChannels) TryPackChannels(arg0 [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("channels", arg0)
}

// ChannelsOutput serves as a container for the return parameters of contract
// method Channels.
type ChannelsOutput struct {
	Payer       common.Address
	Expiry      uint64
	Payee       common.Address
	SettleDelay uint64
	Signer      common.Address
	ClosesAt    uint64
	Token       common.Address
	Deposit     *big.Int
	Owed        *big.Int
}

// UnpackChannels is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7a7ebd7b.
//
// Solidity: function channels(bytes32 ) view returns(address payer, uint64 expiry, address payee, uint64 settleDelay, address signer, uint64 closesAt, address token, uint256 deposit, uint256 owed)
func (paymentChannels *PaymentChannels) UnpackChannels(data []byte) (ChannelsOutput, error) {
	out, err := paymentChannels.abi.Unpack("channels", data)
	outstruct := new(ChannelsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Payer = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Expiry = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.Payee = *abi.ConvertType(out[2], new(common.Address)).(*common.Address)
	outstruct.SettleDelay = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.Signer = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.ClosesAt = *abi.ConvertType(out[5], new(uint64)).(*uint64)
	outstruct.Token = *abi.ConvertType(out[6], new(common.Address)).(*common.Address)
	outstruct.Deposit = abi.ConvertType(out[7], new(big.Int)).(*big.Int)
	outstruct.Owed = abi.ConvertType(out[8], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46e74010.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function close(bytes32 id, ((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32),bytes)[] vouchers) returns()
func (paymentChannels *PaymentChannels) PackClose(id [32]byte, vouchers []PaymentChannelsSignedVoucher) []byte {
	enc, err := paymentChannels.abi.Pack("close", id, vouchers)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46e74010.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function close(bytes32 id, ((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32),bytes)[] vouchers) returns()
func (paymentChannels *PaymentChannels) TryPackClose(id [32]byte, vouchers []PaymentChannelsSignedVoucher) ([]byte, error) {
	return paymentChannels.abi.Pack("close", id, vouchers)
}

// PackCollect is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x497777d5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function collect(bytes32 id) returns()
func (paymentChannels *PaymentChannels) PackCollect(id [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("collect", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCollect is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x497777d5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function collect(bytes32 id) returns()
func (paymentChannels *PaymentChannels) TryPackCollect(id [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("collect", id)
}

// PackCredit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5d44d80.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function credit(address ) view returns(uint256)
func (paymentChannels *PaymentChannels) PackCredit(arg0 common.Address) []byte {
	enc, err := paymentChannels.abi.Pack("credit", arg0)
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
func (paymentChannels *PaymentChannels) TryPackCredit(arg0 common.Address) ([]byte, error) {
	return paymentChannels.abi.Pack("credit", arg0)
}

// UnpackCredit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd5d44d80.
//
// Solidity: function credit(address ) view returns(uint256)
func (paymentChannels *PaymentChannels) UnpackCredit(data []byte) (*big.Int, error) {
	out, err := paymentChannels.abi.Unpack("credit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (paymentChannels *PaymentChannels) PackDomainSeparator() []byte {
	enc, err := paymentChannels.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (paymentChannels *PaymentChannels) TryPackDomainSeparator() ([]byte, error) {
	return paymentChannels.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (paymentChannels *PaymentChannels) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackFulfil is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa63d6de6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fulfil(bytes32 root, bytes reading, uint256 index, uint256 size, bytes32[] path) returns(bytes32 condition)
func (paymentChannels *PaymentChannels) PackFulfil(root [32]byte, reading []byte, index *big.Int, size *big.Int, path [][32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("fulfil", root, reading, index, size, path)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFulfil is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa63d6de6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fulfil(bytes32 root, bytes reading, uint256 index, uint256 size, bytes32[] path) returns(bytes32 condition)
func (paymentChannels *PaymentChannels) TryPackFulfil(root [32]byte, reading []byte, index *big.Int, size *big.Int, path [][32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("fulfil", root, reading, index, size, path)
}

// UnpackFulfil is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa63d6de6.
//
// Solidity: function fulfil(bytes32 root, bytes reading, uint256 index, uint256 size, bytes32[] path) returns(bytes32 condition)
func (paymentChannels *PaymentChannels) UnpackFulfil(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("fulfil", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackFulfilled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2aa91bfd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fulfilled(bytes32 ) view returns(bool)
func (paymentChannels *PaymentChannels) PackFulfilled(arg0 [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("fulfilled", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFulfilled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2aa91bfd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fulfilled(bytes32 ) view returns(bool)
func (paymentChannels *PaymentChannels) TryPackFulfilled(arg0 [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("fulfilled", arg0)
}

// UnpackFulfilled is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2aa91bfd.
//
// Solidity: function fulfilled(bytes32 ) view returns(bool)
func (paymentChannels *PaymentChannels) UnpackFulfilled(data []byte) (bool, error) {
	out, err := paymentChannels.abi.Unpack("fulfilled", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLanes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1fa03f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lanes(bytes32 , uint64 ) view returns(uint64 nonce, uint256 amount)
func (paymentChannels *PaymentChannels) PackLanes(arg0 [32]byte, arg1 uint64) []byte {
	enc, err := paymentChannels.abi.Pack("lanes", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLanes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1fa03f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lanes(bytes32 , uint64 ) view returns(uint64 nonce, uint256 amount)
func (paymentChannels *PaymentChannels) TryPackLanes(arg0 [32]byte, arg1 uint64) ([]byte, error) {
	return paymentChannels.abi.Pack("lanes", arg0, arg1)
}

// LanesOutput serves as a container for the return parameters of contract
// method Lanes.
type LanesOutput struct {
	Nonce  uint64
	Amount *big.Int
}

// UnpackLanes is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c1fa03f.
//
// Solidity: function lanes(bytes32 , uint64 ) view returns(uint64 nonce, uint256 amount)
func (paymentChannels *PaymentChannels) UnpackLanes(data []byte) (LanesOutput, error) {
	out, err := paymentChannels.abi.Unpack("lanes", data)
	outstruct := new(LanesOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Nonce = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.Amount = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5719dd16.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function open(address payee, address signer, address token, uint256 amount, uint64 expiry, uint64 settleDelay, bytes32 salt) payable returns(bytes32 id)
func (paymentChannels *PaymentChannels) PackOpen(payee common.Address, signer common.Address, token common.Address, amount *big.Int, expiry uint64, settleDelay uint64, salt [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("open", payee, signer, token, amount, expiry, settleDelay, salt)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5719dd16.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function open(address payee, address signer, address token, uint256 amount, uint64 expiry, uint64 settleDelay, bytes32 salt) payable returns(bytes32 id)
func (paymentChannels *PaymentChannels) TryPackOpen(payee common.Address, signer common.Address, token common.Address, amount *big.Int, expiry uint64, settleDelay uint64, salt [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("open", payee, signer, token, amount, expiry, settleDelay, salt)
}

// UnpackOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5719dd16.
//
// Solidity: function open(address payee, address signer, address token, uint256 amount, uint64 expiry, uint64 settleDelay, bytes32 salt) payable returns(bytes32 id)
func (paymentChannels *PaymentChannels) UnpackOpen(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("open", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRecover is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd071f7b1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recover(bytes32 id) returns()
func (paymentChannels *PaymentChannels) PackRecover(id [32]byte) []byte {
	enc, err := paymentChannels.abi.Pack("recover", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecover is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd071f7b1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recover(bytes32 id) returns()
func (paymentChannels *PaymentChannels) TryPackRecover(id [32]byte) ([]byte, error) {
	return paymentChannels.abi.Pack("recover", id)
}

// PackTopUp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd99b7c90.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function topUp(bytes32 id, uint256 amount, uint64 newExpiry) payable returns()
func (paymentChannels *PaymentChannels) PackTopUp(id [32]byte, amount *big.Int, newExpiry uint64) []byte {
	enc, err := paymentChannels.abi.Pack("topUp", id, amount, newExpiry)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTopUp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd99b7c90.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function topUp(bytes32 id, uint256 amount, uint64 newExpiry) payable returns()
func (paymentChannels *PaymentChannels) TryPackTopUp(id [32]byte, amount *big.Int, newExpiry uint64) ([]byte, error) {
	return paymentChannels.abi.Pack("topUp", id, amount, newExpiry)
}

// PackVoucherDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f31ab95.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function voucherDigest((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32) v) view returns(bytes32)
func (paymentChannels *PaymentChannels) PackVoucherDigest(v PaymentChannelsVoucher) []byte {
	enc, err := paymentChannels.abi.Pack("voucherDigest", v)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVoucherDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6f31ab95.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function voucherDigest((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32) v) view returns(bytes32)
func (paymentChannels *PaymentChannels) TryPackVoucherDigest(v PaymentChannelsVoucher) ([]byte, error) {
	return paymentChannels.abi.Pack("voucherDigest", v)
}

// UnpackVoucherDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6f31ab95.
//
// Solidity: function voucherDigest((bytes32,uint64,uint64,uint256,uint64,uint64,uint8,bytes32) v) view returns(bytes32)
func (paymentChannels *PaymentChannels) UnpackVoucherDigest(data []byte) ([32]byte, error) {
	out, err := paymentChannels.abi.Unpack("voucherDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (paymentChannels *PaymentChannels) PackWithdraw() []byte {
	enc, err := paymentChannels.abi.Pack("withdraw")
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
func (paymentChannels *PaymentChannels) TryPackWithdraw() ([]byte, error) {
	return paymentChannels.abi.Pack("withdraw")
}

// PaymentChannelsClosing represents a Closing event raised by the PaymentChannels contract.
type PaymentChannelsClosing struct {
	Id       [32]byte
	By       common.Address
	ClosesAt uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsClosingEventName = "Closing"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsClosing) ContractEventName() string {
	return PaymentChannelsClosingEventName
}

// UnpackClosingEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Closing(bytes32 indexed id, address by, uint64 closesAt)
func (paymentChannels *PaymentChannels) UnpackClosingEvent(log *types.Log) (*PaymentChannelsClosing, error) {
	event := "Closing"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsClosing)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsCollected represents a Collected event raised by the PaymentChannels contract.
type PaymentChannelsCollected struct {
	Id      [32]byte
	ToPayee *big.Int
	ToPayer *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsCollectedEventName = "Collected"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsCollected) ContractEventName() string {
	return PaymentChannelsCollectedEventName
}

// UnpackCollectedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Collected(bytes32 indexed id, uint256 toPayee, uint256 toPayer)
func (paymentChannels *PaymentChannels) UnpackCollectedEvent(log *types.Log) (*PaymentChannelsCollected, error) {
	event := "Collected"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsCollected)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsConditionFulfilled represents a ConditionFulfilled event raised by the PaymentChannels contract.
type PaymentChannelsConditionFulfilled struct {
	Condition [32]byte
	Root      [32]byte
	Leaf      [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsConditionFulfilledEventName = "ConditionFulfilled"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsConditionFulfilled) ContractEventName() string {
	return PaymentChannelsConditionFulfilledEventName
}

// UnpackConditionFulfilledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ConditionFulfilled(bytes32 indexed condition, bytes32 root, bytes32 leaf)
func (paymentChannels *PaymentChannels) UnpackConditionFulfilledEvent(log *types.Log) (*PaymentChannelsConditionFulfilled, error) {
	event := "ConditionFulfilled"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsConditionFulfilled)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsLaneUpdated represents a LaneUpdated event raised by the PaymentChannels contract.
type PaymentChannelsLaneUpdated struct {
	Id     [32]byte
	Lane   uint64
	Nonce  uint64
	Amount *big.Int
	Owed   *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsLaneUpdatedEventName = "LaneUpdated"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsLaneUpdated) ContractEventName() string {
	return PaymentChannelsLaneUpdatedEventName
}

// UnpackLaneUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LaneUpdated(bytes32 indexed id, uint64 lane, uint64 nonce, uint256 amount, uint256 owed)
func (paymentChannels *PaymentChannels) UnpackLaneUpdatedEvent(log *types.Log) (*PaymentChannelsLaneUpdated, error) {
	event := "LaneUpdated"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsLaneUpdated)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsOpened represents a Opened event raised by the PaymentChannels contract.
type PaymentChannelsOpened struct {
	Id          [32]byte
	Payer       common.Address
	Payee       common.Address
	Signer      common.Address
	Token       common.Address
	Deposit     *big.Int
	Expiry      uint64
	SettleDelay uint64
	Raw         *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsOpenedEventName = "Opened"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsOpened) ContractEventName() string {
	return PaymentChannelsOpenedEventName
}

// UnpackOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Opened(bytes32 indexed id, address indexed payer, address indexed payee, address signer, address token, uint256 deposit, uint64 expiry, uint64 settleDelay)
func (paymentChannels *PaymentChannels) UnpackOpenedEvent(log *types.Log) (*PaymentChannelsOpened, error) {
	event := "Opened"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsOpened)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsRecovered represents a Recovered event raised by the PaymentChannels contract.
type PaymentChannelsRecovered struct {
	Id      [32]byte
	ToPayer *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsRecoveredEventName = "Recovered"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsRecovered) ContractEventName() string {
	return PaymentChannelsRecoveredEventName
}

// UnpackRecoveredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Recovered(bytes32 indexed id, uint256 toPayer)
func (paymentChannels *PaymentChannels) UnpackRecoveredEvent(log *types.Log) (*PaymentChannelsRecovered, error) {
	event := "Recovered"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsRecovered)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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

// PaymentChannelsToppedUp represents a ToppedUp event raised by the PaymentChannels contract.
type PaymentChannelsToppedUp struct {
	Id      [32]byte
	Deposit *big.Int
	Expiry  uint64
	Raw     *types.Log // Blockchain specific contextual infos
}

const PaymentChannelsToppedUpEventName = "ToppedUp"

// ContractEventName returns the user-defined event name.
func (PaymentChannelsToppedUp) ContractEventName() string {
	return PaymentChannelsToppedUpEventName
}

// UnpackToppedUpEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ToppedUp(bytes32 indexed id, uint256 deposit, uint64 expiry)
func (paymentChannels *PaymentChannels) UnpackToppedUpEvent(log *types.Log) (*PaymentChannelsToppedUp, error) {
	event := "ToppedUp"
	if len(log.Topics) == 0 || log.Topics[0] != paymentChannels.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(PaymentChannelsToppedUp)
	if len(log.Data) > 0 {
		if err := paymentChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range paymentChannels.abi.Events[event].Inputs {
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
func (paymentChannels *PaymentChannels) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["AlreadyClosing"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackAlreadyClosingError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["BadDeposit"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackBadDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["BadProof"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackBadProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["BadSignature"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackBadSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["BadTiming"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackBadTimingError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["ChallengeOver"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackChallengeOverError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["ChannelExists"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackChannelExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["ConditionUnmet"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackConditionUnmetError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["Expired"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["NotAllowed"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackNotAllowedError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["NotClosing"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackNotClosingError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["NotExpired"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackNotExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["SettleTooEarly"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackSettleTooEarlyError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["StaleVoucher"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackStaleVoucherError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["TimeLocked"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackTimeLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["UnknownChannel"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackUnknownChannelError(raw[4:])
	}
	if bytes.Equal(raw[:4], paymentChannels.abi.Errors["WrongChannel"].ID.Bytes()[:4]) {
		return paymentChannels.UnpackWrongChannelError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PaymentChannelsAlreadyClosing represents a AlreadyClosing error raised by the PaymentChannels contract.
type PaymentChannelsAlreadyClosing struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyClosing(bytes32 id)
func PaymentChannelsAlreadyClosingErrorID() common.Hash {
	return common.HexToHash("0x9df22b3476ab8f3886820da1f7b0942da068718b19ac38edffc99b6d26e4012a")
}

// UnpackAlreadyClosingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyClosing(bytes32 id)
func (paymentChannels *PaymentChannels) UnpackAlreadyClosingError(raw []byte) (*PaymentChannelsAlreadyClosing, error) {
	out := new(PaymentChannelsAlreadyClosing)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "AlreadyClosing", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsBadDeposit represents a BadDeposit error raised by the PaymentChannels contract.
type PaymentChannelsBadDeposit struct {
	Value  *big.Int
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadDeposit(uint256 value, uint256 amount)
func PaymentChannelsBadDepositErrorID() common.Hash {
	return common.HexToHash("0x11164c00d01559f379e52f6d4b63d33777c664b6fa33458bc46d6a99dba71b21")
}

// UnpackBadDepositError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadDeposit(uint256 value, uint256 amount)
func (paymentChannels *PaymentChannels) UnpackBadDepositError(raw []byte) (*PaymentChannelsBadDeposit, error) {
	out := new(PaymentChannelsBadDeposit)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "BadDeposit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsBadProof represents a BadProof error raised by the PaymentChannels contract.
type PaymentChannelsBadProof struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadProof()
func PaymentChannelsBadProofErrorID() common.Hash {
	return common.HexToHash("0x7ca55c774976027f27f73629387ed99a2044a8721aec39c3c2717944b08c423a")
}

// UnpackBadProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadProof()
func (paymentChannels *PaymentChannels) UnpackBadProofError(raw []byte) (*PaymentChannelsBadProof, error) {
	out := new(PaymentChannelsBadProof)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "BadProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsBadSignature represents a BadSignature error raised by the PaymentChannels contract.
type PaymentChannelsBadSignature struct {
	Recovered common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignature(address recovered)
func PaymentChannelsBadSignatureErrorID() common.Hash {
	return common.HexToHash("0x9a7d38d94d3da0d5188ab778bbe9a3a38c77802b1bf2426c15740dc786da791d")
}

// UnpackBadSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignature(address recovered)
func (paymentChannels *PaymentChannels) UnpackBadSignatureError(raw []byte) (*PaymentChannelsBadSignature, error) {
	out := new(PaymentChannelsBadSignature)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "BadSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsBadTiming represents a BadTiming error raised by the PaymentChannels contract.
type PaymentChannelsBadTiming struct {
	Expiry      uint64
	SettleDelay uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadTiming(uint64 expiry, uint64 settleDelay)
func PaymentChannelsBadTimingErrorID() common.Hash {
	return common.HexToHash("0xd45d2e4466b506a9e3d42ead9a02de9152b7ea3a08544269ad9fc14ba07a9b18")
}

// UnpackBadTimingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadTiming(uint64 expiry, uint64 settleDelay)
func (paymentChannels *PaymentChannels) UnpackBadTimingError(raw []byte) (*PaymentChannelsBadTiming, error) {
	out := new(PaymentChannelsBadTiming)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "BadTiming", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsChallengeOver represents a ChallengeOver error raised by the PaymentChannels contract.
type PaymentChannelsChallengeOver struct {
	ClosesAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChallengeOver(uint64 closesAt)
func PaymentChannelsChallengeOverErrorID() common.Hash {
	return common.HexToHash("0x7d299ba8d27e81ccbb26fe2826d1cb420306cb125ef2d075839e1cedf10624cb")
}

// UnpackChallengeOverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChallengeOver(uint64 closesAt)
func (paymentChannels *PaymentChannels) UnpackChallengeOverError(raw []byte) (*PaymentChannelsChallengeOver, error) {
	out := new(PaymentChannelsChallengeOver)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "ChallengeOver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsChannelExists represents a ChannelExists error raised by the PaymentChannels contract.
type PaymentChannelsChannelExists struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelExists(bytes32 id)
func PaymentChannelsChannelExistsErrorID() common.Hash {
	return common.HexToHash("0xa940c060494e4a8725ceaaeed5009635eed00c41d329b627de1735c400b10517")
}

// UnpackChannelExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelExists(bytes32 id)
func (paymentChannels *PaymentChannels) UnpackChannelExistsError(raw []byte) (*PaymentChannelsChannelExists, error) {
	out := new(PaymentChannelsChannelExists)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "ChannelExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsConditionUnmet represents a ConditionUnmet error raised by the PaymentChannels contract.
type PaymentChannelsConditionUnmet struct {
	Condition [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ConditionUnmet(bytes32 condition)
func PaymentChannelsConditionUnmetErrorID() common.Hash {
	return common.HexToHash("0xe18b861c7c82b70b1df1d8a085e823b6decfa48f60e9f93f4f7d6dc8f082274e")
}

// UnpackConditionUnmetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ConditionUnmet(bytes32 condition)
func (paymentChannels *PaymentChannels) UnpackConditionUnmetError(raw []byte) (*PaymentChannelsConditionUnmet, error) {
	out := new(PaymentChannelsConditionUnmet)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "ConditionUnmet", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsExpired represents a Expired error raised by the PaymentChannels contract.
type PaymentChannelsExpired struct {
	Expiry uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Expired(uint64 expiry)
func PaymentChannelsExpiredErrorID() common.Hash {
	return common.HexToHash("0x956936532b954ff74e062815c0174f8bd1500115ed3dd2adb3c66e2ac6109668")
}

// UnpackExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Expired(uint64 expiry)
func (paymentChannels *PaymentChannels) UnpackExpiredError(raw []byte) (*PaymentChannelsExpired, error) {
	out := new(PaymentChannelsExpired)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "Expired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsNotAllowed represents a NotAllowed error raised by the PaymentChannels contract.
type PaymentChannelsNotAllowed struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAllowed(address caller)
func PaymentChannelsNotAllowedErrorID() common.Hash {
	return common.HexToHash("0xfa5cd00ff5c4577b9857716999b0b260131d9f5bcbb69f0fa80d6ba972753c88")
}

// UnpackNotAllowedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAllowed(address caller)
func (paymentChannels *PaymentChannels) UnpackNotAllowedError(raw []byte) (*PaymentChannelsNotAllowed, error) {
	out := new(PaymentChannelsNotAllowed)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "NotAllowed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsNotClosing represents a NotClosing error raised by the PaymentChannels contract.
type PaymentChannelsNotClosing struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotClosing(bytes32 id)
func PaymentChannelsNotClosingErrorID() common.Hash {
	return common.HexToHash("0x713ee72659c214c0e68146c86120abfdf245ed6a70a3b6f44def2d14efc92bb1")
}

// UnpackNotClosingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotClosing(bytes32 id)
func (paymentChannels *PaymentChannels) UnpackNotClosingError(raw []byte) (*PaymentChannelsNotClosing, error) {
	out := new(PaymentChannelsNotClosing)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "NotClosing", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsNotExpired represents a NotExpired error raised by the PaymentChannels contract.
type PaymentChannelsNotExpired struct {
	Expiry uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotExpired(uint64 expiry)
func PaymentChannelsNotExpiredErrorID() common.Hash {
	return common.HexToHash("0xb8b92567eb98488800f7f3985a5fee16deae712b7a29e45711e092e4cce00d16")
}

// UnpackNotExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotExpired(uint64 expiry)
func (paymentChannels *PaymentChannels) UnpackNotExpiredError(raw []byte) (*PaymentChannelsNotExpired, error) {
	out := new(PaymentChannelsNotExpired)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "NotExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsSettleTooEarly represents a SettleTooEarly error raised by the PaymentChannels contract.
type PaymentChannelsSettleTooEarly struct {
	ClosesAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SettleTooEarly(uint64 closesAt)
func PaymentChannelsSettleTooEarlyErrorID() common.Hash {
	return common.HexToHash("0x4fc32a859a6b230c6fa21d2f465afc9365504ecd0504eebe3e7c94c268519f99")
}

// UnpackSettleTooEarlyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SettleTooEarly(uint64 closesAt)
func (paymentChannels *PaymentChannels) UnpackSettleTooEarlyError(raw []byte) (*PaymentChannelsSettleTooEarly, error) {
	out := new(PaymentChannelsSettleTooEarly)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "SettleTooEarly", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsStaleVoucher represents a StaleVoucher error raised by the PaymentChannels contract.
type PaymentChannelsStaleVoucher struct {
	Lane  uint64
	Nonce uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleVoucher(uint64 lane, uint64 nonce)
func PaymentChannelsStaleVoucherErrorID() common.Hash {
	return common.HexToHash("0x18810f87bf26dd69b02c71ebffdf58029e1b04582e25570c9b497dd4e63488bd")
}

// UnpackStaleVoucherError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleVoucher(uint64 lane, uint64 nonce)
func (paymentChannels *PaymentChannels) UnpackStaleVoucherError(raw []byte) (*PaymentChannelsStaleVoucher, error) {
	out := new(PaymentChannelsStaleVoucher)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "StaleVoucher", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsTimeLocked represents a TimeLocked error raised by the PaymentChannels contract.
type PaymentChannelsTimeLocked struct {
	NotBefore uint64
	NotAfter  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TimeLocked(uint64 notBefore, uint64 notAfter)
func PaymentChannelsTimeLockedErrorID() common.Hash {
	return common.HexToHash("0xc350c67d0e6623526ef4dd31337dab7eb50eca8af2b15c8a60f7f81c7e821a15")
}

// UnpackTimeLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TimeLocked(uint64 notBefore, uint64 notAfter)
func (paymentChannels *PaymentChannels) UnpackTimeLockedError(raw []byte) (*PaymentChannelsTimeLocked, error) {
	out := new(PaymentChannelsTimeLocked)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "TimeLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsTransferFailed represents a TransferFailed error raised by the PaymentChannels contract.
type PaymentChannelsTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func PaymentChannelsTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (paymentChannels *PaymentChannels) UnpackTransferFailedError(raw []byte) (*PaymentChannelsTransferFailed, error) {
	out := new(PaymentChannelsTransferFailed)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsUnknownChannel represents a UnknownChannel error raised by the PaymentChannels contract.
type PaymentChannelsUnknownChannel struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownChannel(bytes32 id)
func PaymentChannelsUnknownChannelErrorID() common.Hash {
	return common.HexToHash("0xb08fc1cb7d4c5a62cfc36d1d52273872c8ad5c540953a2c17c0a39912130100d")
}

// UnpackUnknownChannelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownChannel(bytes32 id)
func (paymentChannels *PaymentChannels) UnpackUnknownChannelError(raw []byte) (*PaymentChannelsUnknownChannel, error) {
	out := new(PaymentChannelsUnknownChannel)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "UnknownChannel", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PaymentChannelsWrongChannel represents a WrongChannel error raised by the PaymentChannels contract.
type PaymentChannelsWrongChannel struct {
	Got [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongChannel(bytes32 got)
func PaymentChannelsWrongChannelErrorID() common.Hash {
	return common.HexToHash("0xc38095da0011efdf79d4f4b0add8adfd4ac01ffcd9ddcf606acbef5ead551418")
}

// UnpackWrongChannelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongChannel(bytes32 got)
func (paymentChannels *PaymentChannels) UnpackWrongChannelError(raw []byte) (*PaymentChannelsWrongChannel, error) {
	out := new(PaymentChannelsWrongChannel)
	if err := paymentChannels.abi.UnpackIntoInterface(out, "WrongChannel", raw); err != nil {
		return nil, err
	}
	return out, nil
}
