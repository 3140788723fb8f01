package contracts

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen Stake.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi Stake.abi --bin Stake.bin --pkg contracts --type Stake --out stake.go
