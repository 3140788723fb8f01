package contracts_test

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/iotrust/iotrust/payment/contracts"
)

// Deploying the channel contract with its binding and reading the voucher
// type hash it checks signatures against.
func Example() {
	key, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{addr: {Balance: big.NewInt(1e18)}})
	defer sim.Close()
	auth, _ := bind.NewKeyedTransactorWithChainID(key, big.NewInt(1337))
	_, _, pc, err := contracts.DeployPaymentChannels(auth, sim.Client())
	if err != nil {
		fmt.Println(err)
		return
	}
	sim.Commit()
	th, _ := pc.VOUCHERTYPEHASH(nil)
	want := crypto.Keccak256Hash([]byte("Voucher(bytes32 channel,uint64 lane,uint64 nonce,uint256 amount,uint64 notBefore,uint64 notAfter,uint8 conditionHash,bytes32 condition)"))
	fmt.Println(th == want)
	// Output: true
}
