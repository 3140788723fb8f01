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

// OnConnect clears the client's Receive Maximum as the broker keeps it
// (the CONNECT packet is left as it was), before the broker sets the send
// quota from it when it takes over an existing session, and sets the
// quota to zero.
func (*NoSendQuota) OnConnect(cl *mqtt.Client, _ packets.Packet) error {
	cl.Properties.Props.ReceiveMaximum = 0
	cl.State.Inflight.ResetSendQuota(0)
	return nil
}
