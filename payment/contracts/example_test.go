package contracts_test

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/iotrust/iotrust/payment/contracts"
)

// Deploying the channel contract and reading, through the binding's pack
// and unpack functions, the voucher type hash it checks signatures
// against.
func Example() {
	ctx := context.Background()
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: big.NewInt(1e18)}})
	defer sim.Close()
	client := sim.Client()

	code, _ := hexutil.Decode(contracts.PaymentChannelsMetaData.Bin)
	head, _ := client.HeaderByNumber(ctx, nil)
	tip, _ := client.SuggestGasTipCap(ctx)
	tx, _ := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(1337)), &types.DynamicFeeTx{
		ChainID: big.NewInt(1337), Gas: 3_000_000, GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))), Data: code,
	})
	if err := client.SendTransaction(ctx, tx); err != nil {
		fmt.Println(err)
		return
	}
	sim.Commit()
	address := crypto.CreateAddress(from, tx.Nonce())

	pc := contracts.NewPaymentChannels()
	out, err := client.CallContract(ctx, ethereum.CallMsg{To: &address, Data: pc.PackVOUCHERTYPEHASH()}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	th, _ := pc.UnpackVOUCHERTYPEHASH(out)
	want := crypto.Keccak256Hash([]byte("Voucher(bytes32 channel,uint64 lane,uint64 nonce,uint256 amount,uint64 notBefore,uint64 notAfter,uint8 conditionHash,bytes32 condition)"))
	fmt.Println(common.Hash(th) == want)
	// Output: true
}
