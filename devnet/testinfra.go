package devnet

import (
	"math/big"
	"testing"
)

// TestInfra is real infrastructure a test starts in its own process for a
// development program: a JSON-RPC node and an MQTT broker, each if asked
// for, and the Flags that point the program at them.
type TestInfra struct {
	// Flags point a program at the infrastructure: RPC and Key at the
	// node, MQTT at the broker, Out at a fresh temporary directory.
	Flags Flags
	// Node is the JSON-RPC node (its funder holds 1000 ether), or nil.
	Node *RPCNode
	// Broker is the MQTT broker, or nil.
	Broker *Broker
}

// StartTestInfra starts, for the duration of t, a JSON-RPC node (with
// rpc; Flags.Poll is then its block interval) and an MQTT broker on a
// loopback port (with mqtt). It fails t if either cannot start.
func StartTestInfra(t testing.TB, rpc, mqtt bool) *TestInfra {
	t.Helper()
	in := &TestInfra{Flags: Flags{Out: t.TempDir()}}
	if rpc {
		n, err := StartRPCNode(RPCNodeConfig{Funds: new(big.Int).Set(genesisFunds)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(n.Close)
		in.Node, in.Flags.RPC, in.Flags.Key = n, n.URL(), n.FunderKey()
		in.Flags.Poll = n.BlockInterval() // a second per wait is for public chains
	}
	if mqtt {
		b, err := StartBroker("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		in.Broker, in.Flags.MQTT = b, b.URL()
	}
	return in
}
