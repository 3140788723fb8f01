package devnet_test

import (
	"context"
	"testing"
	"time"

	"github.com/iotrust/iotrust/devnet"
)

// StartTestInfra gives Flags that reach a node and a broker, and only
// what was asked for.
func TestStartTestInfra(t *testing.T) {
	in := devnet.StartTestInfra(t, true, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env, err := devnet.OpenEnv(ctx, "testinfra", in.Flags, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if env.Simulated() || env.ChainName != in.Node.URL() || env.Out != in.Flags.Out {
		t.Fatalf("env on %s (simulated %v), out %s", env.ChainName, env.Simulated(), env.Out)
	}
	if got := env.SettleConfig().PollInterval; got != in.Node.BlockInterval() || in.Flags.Poll != got {
		t.Fatalf("the env polls the node every %v (-poll %v), want every block (%v)", got, in.Flags.Poll, in.Node.BlockInterval())
	}
	if in.Broker == nil || in.Flags.MQTT != in.Broker.URL() {
		t.Fatalf("broker %v, -mqtt %q", in.Broker, in.Flags.MQTT)
	}
	none := devnet.StartTestInfra(t, false, false)
	if none.Node != nil || none.Broker != nil || none.Flags.RPC != "" || none.Flags.MQTT != "" || none.Flags.Out == "" {
		t.Fatalf("nothing asked for: %+v", none)
	}
}
