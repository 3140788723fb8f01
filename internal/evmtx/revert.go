package evmtx

import (
	"errors"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// RevertData returns the revert data err carries, as a node reports a
// revert of eth_estimateGas or eth_call (an rpc.DataError whose data is a
// hex string; Send keeps it reachable). ok is false when err carries none;
// data is nil when what it carries is not hex.
func RevertData(err error) (data []byte, ok bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil, false
	}
	data, derr := hexutil.Decode(s)
	if derr != nil {
		return nil, true
	}
	return data, true
}

// DecodeRevert decodes the revert err carries as one of the custom errors
// of a contract's ABI and returns its name and arguments. ok is false when
// err carries no revert data, or data that is no custom error of a.
func DecodeRevert(a *abi.ABI, err error) (name string, args []any, ok bool) {
	data, _ := RevertData(err)
	if len(data) < 4 {
		return "", nil, false
	}
	for name, e := range a.Errors {
		if string(e.ID[:4]) != string(data[:4]) {
			continue
		}
		args, uerr := e.Inputs.Unpack(data[4:])
		if uerr != nil {
			return "", nil, false
		}
		return name, args, true
	}
	return "", nil, false
}

// UnpackRevert decodes the revert err carries with unpack (an abigen
// binding's UnpackError, which returns the custom error as its generated
// type). reverted is false when err carries no revert data; v is nil when
// the data is not one of the binding's errors.
func UnpackRevert(err error, unpack func([]byte) (any, error)) (v any, reverted bool) {
	data, ok := RevertData(err)
	if !ok {
		return nil, false
	}
	if len(data) < 4 {
		return nil, true
	}
	v, uerr := unpack(data)
	if uerr != nil {
		return nil, true
	}
	return v, true
}

// MustParseABI parses a contract's committed ABI; it panics if the ABI
// does not parse, which the contract package's tests rule out.
func MustParseABI(parse func() (*abi.ABI, error)) *abi.ABI {
	a, err := parse()
	if err != nil {
		panic(err)
	}
	return a
}
