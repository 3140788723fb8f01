package solidity

//go:generate go run ./internal/export ReadingVerifier.sol
//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen ReadingVerifier.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi ReadingVerifier.abi --bin ReadingVerifier.bin --pkg solidity --type ReadingVerifier --out reading_verifier.go
