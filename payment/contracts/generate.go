package contracts

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen PaymentChannels.sol
//go:generate go run github.com/ethereum/go-ethereum/cmd/abigen --v2 --abi PaymentChannels.abi --bin PaymentChannels.bin --pkg contracts --type PaymentChannels --out payment_channels.go
