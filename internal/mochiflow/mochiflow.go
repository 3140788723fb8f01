package mochiflow

import (
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// NoSendQuota is the mochi hook described in the package comment. Add it
// to a server with AddHook(new(mochiflow.NoSendQuota), nil).
type NoSendQuota struct{ mqtt.HookBase }

// ID names the hook.
func (*NoSendQuota) ID() string { return "iotrust-no-send-quota" }

// Provides reports that the hook acts on connect.
func (*NoSendQuota) Provides(b byte) bool { return b == mqtt.OnConnect }

// OnConnect sets the client's send quota to zero. It also clears the
// Receive Maximum the broker keeps for the client (the CONNECT packet is
// left as it was), from which the broker would set the quota again when
// the client takes over an existing session.
func (*NoSendQuota) OnConnect(cl *mqtt.Client, _ packets.Packet) error {
	cl.Properties.Props.ReceiveMaximum = 0
	cl.State.Inflight.ResetSendQuota(0)
	return nil
}
