package mqttgw

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/iotrust/iotrust/batch"
)

// CollectorConfig names what a Collector exports; nil parts are left out.
type CollectorConfig struct {
	Gateway   *batch.Gateway
	Ingester  *Ingester
	Admission *Admission
	Broker    *Broker
}

// Collector is a prometheus.Collector of a gateway's metrics, read at each
// scrape: batch.Metrics (readings accepted and rejected by reason, batches
// sealed, anchored, final and settled, batches recovered at Open, backlog, submit and anchor latency
// histograms), the publishes answered per MQTT reason code, admissions,
// and the embedded broker's counters (with the devices it disconnected
// per DISCONNECT reason code). Register it beside the Go runtime
// and process collectors of client_golang's collectors package.
type Collector struct {
	cfg   CollectorConfig
	descs map[string]*prometheus.Desc
}

// NewCollector returns a Collector for cfg.
func NewCollector(cfg CollectorConfig) *Collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("iotrust_"+name, help, labels, nil)
	}
	return &Collector{cfg: cfg, descs: map[string]*prometheus.Desc{
		"accepted":         d("batch_readings_accepted_total", "Readings acknowledged by the gateway (durable in its write-ahead log)."),
		"rejected":         d("batch_readings_rejected_total", "Readings refused by the gateway pipeline, by reason.", "reason"),
		"sealed":           d("batch_batches_sealed_total", "Batches sealed."),
		"sealed_readings":  d("batch_sealed_readings_total", "Readings in sealed batches."),
		"anchored":         d("batch_batches_anchored_total", "Batches whose anchoring policy is met."),
		"final":            d("batch_batches_final_total", "Batches whose receipts are all final."),
		"settled":          d("batch_batches_settled_total", "Batches whose receipts are as final as their ledgers let the gateway follow them (Included on a ledger that cannot be followed), without all being final."),
		"recovered":        d("batch_batches_recovered", "Batches the gateway's Open took up again (not yet final or settled when it started)."),
		"anchor_errors":    d("batch_anchor_errors_total", "Failed anchoring attempts (retried)."),
		"open":             d("batch_open_readings", "Readings acknowledged and not yet sealed."),
		"backlog":          d("batch_backlog_batches", "Batches sealed and not yet anchored."),
		"device_windows":   d("batch_device_windows", "Devices whose anti-replay windows are in memory (batch.Config.DeviceWindows bounds them)."),
		"submit_latency":   d("batch_submit_latency_seconds", "Submit call to acknowledgement."),
		"anchor_latency":   d("batch_anchor_latency_seconds", "Seal to anchored receipt."),
		"answered":         d("mqtt_publishes_answered_total", "Publishes answered, by MQTT 5 reason code.", "code", "reason"),
		"pending":          d("mqtt_pending_readings", "Readings queued or being submitted."),
		"admissions":       d("admissions_total", "Device presentations admitted or refused, and admitted devices dropped by a re-check or evicted beyond AdmissionConfig.MaxDevices, by result.", "result"),
		"admitted_devices": d("admitted_devices", "Devices admitted now."),
		"held_devices":     d("held_devices", "Devices held now (connected to the embedded broker): never evicted to stay within AdmissionConfig.MaxDevices."),
		"clients":          d("mqtt_broker_clients_connected", "Clients connected to the embedded broker."),
		"msgs_in":          d("mqtt_broker_messages_received_total", "PUBLISH packets received by the embedded broker."),
		"pkts_in":          d("mqtt_broker_packets_received_total", "Packets received by the embedded broker."),
		"pkts_out":         d("mqtt_broker_packets_sent_total", "Packets sent by the embedded broker."),
		"bytes_in":         d("mqtt_broker_bytes_received_total", "Bytes received by the embedded broker."),
		"bytes_out":        d("mqtt_broker_bytes_sent_total", "Bytes sent by the embedded broker."),
		"disconnects":      d("mqtt_broker_disconnects_total", "Devices the embedded broker disconnected for breaking a limit its CONNACK announced (Receive Maximum, Maximum QoS, Retain Available), by DISCONNECT reason code.", "code", "reason"),
	}}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	counter := func(k string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[k], prometheus.CounterValue, v, labels...)
	}
	gauge := func(k string, v float64) {
		ch <- prometheus.MustNewConstMetric(c.descs[k], prometheus.GaugeValue, v)
	}
	if g := c.cfg.Gateway; g != nil {
		m := g.Metrics()
		counter("accepted", float64(m.Accepted))
		for _, r := range batch.Reasons() {
			counter("rejected", float64(m.Rejected[r]), string(r))
		}
		counter("sealed", float64(m.Sealed))
		counter("sealed_readings", float64(m.SealedReadings))
		counter("anchored", float64(m.Anchored))
		counter("final", float64(m.Final))
		counter("settled", float64(m.Settled))
		gauge("recovered", float64(m.Recovered))
		counter("anchor_errors", float64(m.AnchorErrors))
		gauge("open", float64(m.Open))
		gauge("backlog", float64(m.Backlog))
		gauge("device_windows", float64(m.DeviceWindows))
		ch <- histogram(c.descs["submit_latency"], m.SubmitLatency)
		ch <- histogram(c.descs["anchor_latency"], m.AnchorLatency)
	}
	if in := c.cfg.Ingester; in != nil {
		for code, n := range in.Answered() {
			counter("answered", float64(n), "0x"+hex2(byte(code)), code.String())
		}
		gauge("pending", float64(in.Pending()))
	}
	if a := c.cfg.Admission; a != nil {
		st := a.Stats()
		counter("admissions", float64(st.Admitted), "admitted")
		counter("admissions", float64(st.Refused), "refused")
		counter("admissions", float64(st.Dropped), "dropped")
		counter("admissions", float64(st.Evicted), "evicted")
		gauge("admitted_devices", float64(a.Len()))
		gauge("held_devices", float64(a.Held()))
	}
	if b := c.cfg.Broker; b != nil {
		info := b.Info()
		gauge("clients", float64(info.ClientsConnected))
		counter("msgs_in", float64(info.MessagesReceived))
		counter("pkts_in", float64(info.PacketsReceived))
		counter("pkts_out", float64(info.PacketsSent))
		counter("bytes_in", float64(info.BytesReceived))
		counter("bytes_out", float64(info.BytesSent))
		for code, n := range b.Disconnects() {
			counter("disconnects", float64(n), "0x"+hex2(byte(code)), disconnectReason(code))
		}
	}
}

// histogram converts a batch.Histogram (per-bucket counts, the last one
// above every bound) to a Prometheus histogram (cumulative buckets).
func histogram(d *prometheus.Desc, h batch.Histogram) prometheus.Metric {
	buckets := make(map[float64]uint64, len(h.Bounds))
	var cum uint64
	for i, b := range h.Bounds {
		if i < len(h.Counts) {
			cum += h.Counts[i]
		}
		buckets[b.Seconds()] = cum
	}
	return prometheus.MustNewConstHistogram(d, h.Count, h.Sum.Seconds(), buckets)
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
