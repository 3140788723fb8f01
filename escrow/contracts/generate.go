package contracts

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen RangeEscrow.sol BatchVerifier.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi RangeEscrow.abi --bin RangeEscrow.bin --pkg contracts --type RangeEscrow --out range_escrow.go
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi BatchVerifier.abi --bin BatchVerifier.bin --pkg contracts --type BatchVerifier --out batch_verifier.go
