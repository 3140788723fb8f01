package contracts

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen Anchor.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi Anchor.abi --bin Anchor.bin --pkg contracts --type Anchor --out anchor.go
