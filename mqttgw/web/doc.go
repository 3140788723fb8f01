// Package web serves an iotrust gateway's HTTP API and audit page, beside
// package mqttgw's MQTT side, from one http.Handler (New).
//
// # API
//
//	GET  /v1/challenge        a did.Challenge for a device to answer (JSON)
//	POST /v1/admit            body: a JWT presentation answering it; admits
//	                          the holder (200 {"device": DID} or 403 {"error"})
//	GET  /v1/evidence/{id}    the evidence bundle of the acknowledged reading
//	                          whose ID (canon.Digest text, "blake3:<hex>") is
//	                          id, with the device's credential attached
//	                          (application/vnd.iotrust.evidence+json); 409 with
//	                          Retry-After while its batch is not sealed and
//	                          anchored, 404 for a reading never acknowledged
//	GET  /v1/batches?n=20     the n most recent batches, newest first (JSON,
//	                          at most MaxRecentBatches)
//	GET  /v1/batches/{root}   one batch by its Merkle root
//	GET  /v1/checkpoint       the transparency log's latest signed checkpoint
//	GET  /v1/log-key          the log's note verifier key (iotrust verify --log-key)
//	POST /v1/verify           body: a bundle, whatever its Content-Type
//	                          (curl --data-binary's form type too), or the
//	                          page's form (fields file, bundle); answers the
//	                          evidence.Verify report as JSON {"ok", "checks":
//	                          [{"name", "outcome", "reason"}]}, or as HTML
//	                          when the request's Accept names text/html (a
//	                          browser submitting the page's form)
//	GET  /v1/chart.svg?device=DID&sensor=S   a device's chart (see Chart)
//	GET  /healthz             200 "ok", or 503 with the reason
//	GET  /metrics             Prometheus, when Config.Metrics is set
//
// # Audit page
//
// GET / lists the devices with recent readings and the recent batches with
// their anchors, and has a box where an auditor pastes or drops a bundle:
// the server parses it, runs evidence.Verify (what the iotrust CLI's verify
// runs) against the gateway's ledgers, device keys and trusted issuers at
// the readings' time, and renders each check — bundle, reading signatures,
// credential, inclusion, window, receipts, anchored, zero-knowledge proof —
// passed, failed or skipped, with the reason. GET /device?id=DID shows a
// device's readings over time as server-rendered SVG, with batch boundaries
// and anchor times marked and, for the configured Band, the acceptable
// range and the readings outside it; a private sensor's readings show only
// where committed values exist. Pages are html/template, embedded, with one
// small inline script (file drop) and no build step.
//
// The page trusts nothing in a bundle for itself: every check runs against
// Config's ledgers, keys and issuers.
package web
