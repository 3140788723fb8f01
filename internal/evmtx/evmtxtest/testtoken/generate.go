package testtoken

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen TestToken.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi TestToken.abi --bin TestToken.bin --pkg testtoken --type TestToken --out test_token.go
