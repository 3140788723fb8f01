// Package mochiflow holds the one hook both of iotrust's in-process MQTT
// brokers (mqttgw.Broker and devnet.Broker, built on
// github.com/mochi-mqtt/server/v2) install so that they never stall.
//
// mochi v2.7.9 keeps a client's outbound QoS 1/2 flow control (its
// Receive Maximum) with Inflight.NextImmediate, which takes the client's
// inflight read lock and then takes it again inside Inflight.GetAll. When
// another connection's goroutine asks for the write lock in between (it
// delivers a publish to that client), the second read lock waits for the
// writer and the writer for the first read lock: the client's connection
// and every publisher on its topics stop for good. mochi calls
// NextImmediate only while the client's send quota is above zero, so the
// hook sets that quota to zero when the client connects. The broker then
// delivers to a subscriber without holding publishes back for its Receive
// Maximum; its other bounds (Capabilities.MaximumInflight and the pending
// write queue) still hold, and a client that cannot keep up pushes back
// through TCP.
package mochiflow
