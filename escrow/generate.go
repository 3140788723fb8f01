package escrow

//go:generate go run ./internal/devexport contracts/BatchVerifier.sol dev-batch-16-16.vk
