package mqttgw

import (
	"bytes"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// ackWriter answers the publishes of one broker's devices in groups: the
// PUBACKs of the readings one SubmitBatch call decided are queued per
// connection and written when the call is done, one write per connection
// instead of one per publish. A PUBACK decided outside a call (a payload
// refused before it reached the queue) is written at once.
type ackWriter struct {
	mu    sync.Mutex
	dirty []*ackQueue // queues holding PUBACKs, each once

	packets atomic.Uint64 // PUBACKs written
	bytes   atomic.Uint64
	log     *slog.Logger
}

// ackQueue holds the PUBACKs decided for one connection and not yet
// written.
type ackQueue struct {
	cl      *mqtt.Client
	pending []packets.Packet // under ackWriter.mu
}

// add queues pk for q's connection until the next flush.
func (w *ackWriter) add(q *ackQueue, pk packets.Packet) {
	w.mu.Lock()
	if len(q.pending) == 0 {
		w.dirty = append(w.dirty, q)
	}
	q.pending = append(q.pending, pk)
	w.mu.Unlock()
}

// flush writes every queued PUBACK.
func (w *ackWriter) flush() {
	w.mu.Lock()
	dirty := w.dirty
	w.dirty = nil
	todo := make([][]packets.Packet, len(dirty))
	for i, q := range dirty {
		todo[i], q.pending = q.pending, nil
	}
	w.mu.Unlock()
	for i, q := range dirty {
		w.write(q.cl, todo[i])
	}
}

// write sends pks to cl in one write, encoded as the broker encodes
// them for that connection (its protocol version, its maximum packet size
// and whether it asked for problem information).
func (w *ackWriter) write(cl *mqtt.Client, pks []packets.Packet) {
	var buf bytes.Buffer
	for _, pk := range pks {
		pk.ProtocolVersion = cl.Properties.ProtocolVersion
		pk.Mods.MaxSize = cl.Properties.Props.MaximumPacketSize
		pk.Mods.DisallowProblemInfo = cl.Properties.Props.RequestProblemInfoFlag && cl.Properties.Props.RequestProblemInfo == 0
		pk.Mods.AllowResponseInfo = true
		if err := pk.PubackEncode(&buf); err != nil {
			w.log.Warn("PUBACK not sent", "client", trunc(cl.ID), "err", err)
			return
		}
	}
	// The broker writes to the connection under the client's lock too,
	// so packets never interleave.
	cl.Lock()
	var err error
	if cl.Closed() {
		err = mqtt.ErrConnectionClosed
	} else {
		_, err = cl.Net.Conn.Write(buf.Bytes())
	}
	cl.Unlock()
	switch {
	case err == nil:
		w.packets.Add(uint64(len(pks)))
		w.bytes.Add(uint64(buf.Len()))
	case !errors.Is(err, mqtt.ErrConnectionClosed):
		// The broker's reader sees the broken connection and ends the
		// session; the device publishes again after it reconnects.
		w.log.Debug("PUBACKs not sent", "client", trunc(cl.ID), "count", len(pks), "err", err)
	}
}
