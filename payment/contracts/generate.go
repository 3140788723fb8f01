package contracts

//go:generate go run github.com/iotrust/iotrust/anchor/evm/solc/solcgen PaymentChannels.sol TestToken.sol
//go:generate go run ./internal/bindgen
