// Package mqttgw is the MQTT side of an iotrust gateway: it admits devices
// by DID and credential, takes their signed readings over MQTT 5, and hands
// them to a batch.Gateway, answering every QoS 1 publish with a PUBACK whose
// reason code says whether the reading is durable. Subpackage web serves the
// gateway's HTTP API and audit page; examples/gateway wires both into a
// service.
//
// # Parts
//
//   - Admission verifies presentations (package vc) answering the gateway's
//     challenges (did.Authenticator, the one nonce store), admits their
//     holders' credentials into a vc.Authorizer, and re-checks admitted
//     devices on a timer (Run, Refresh) so that revocation needs no restart.
//   - Ingester parses payloads (reading.ParseJSON / ParseCBOR), checks them
//     against the connection, queues them within a bound and submits them in
//     groups (batch.Gateway.SubmitBatch), so many devices share one
//     write-ahead log fsync; CodeOf maps every refusal to its reason code.
//   - Broker is the embedded MQTT 5 broker (mochi-mqtt) with the admission
//     hook; Bridge subscribes to an external broker instead (paho).
//   - Device is the device side, for simulators, tests and Go devices.
//   - Collector exports batch.Metrics, the reason codes answered, admissions
//     and the broker's counters (the devices it disconnected by reason code
//     among them) to Prometheus.
//
// # The device protocol (embedded broker)
//
// A device holds an Ed25519 (or P-256) key, its did:key, and a device
// credential (vc.DeviceCredential as a JWT, or Data Integrity JSON) from an
// issuer the gateway trusts, whose Roles.Publish filters cover its topics.
//
//  1. GET /v1/challenge on the gateway's HTTP API. The answer is a
//     did.Challenge as JSON: {"expires":"<RFC 3339 UTC>","nonce":"<padded
//     standard base64 of 32 bytes>","verifier":"<gateway DID>"}. It may be
//     answered once, before it expires (AdmissionConfig.ChallengeTTL,
//     default one minute).
//
//  2. Sign a JWT presentation of the credentials answering it, as
//     vc.Holder.PresentJWT does: header {"alg":"EdDSA" (or "ES256"),
//     "kid":"<device DID>#<key fragment>","typ":"JWT"}; claims {"iss": device
//     DID, "aud": gateway DID, "nonce": unpadded base64url of the challenge
//     nonce, "exp": the challenge's expiry (Unix seconds), "iat"/"nbf": the
//     device's clock, "vp": {"@context":["https://www.w3.org/2018/credentials/v1"],
//     "type":["VerifiablePresentation"], "holder": device DID,
//     "verifiableCredential": [the credentials, JWTs as strings]}}.
//
//  3. CONNECT with MQTT 5.0 (an MQTT 3 CONNECT is refused, whatever its
//     credentials: its PUBACK has no reason code, so a refused reading
//     would look stored): user name = the device DID, password = the
//     presentation's compact JWS. The gateway verifies it (signature by the
//     holder's key; audience; nonce unknown, expired or spent; each
//     credential's signature, trusted issuer, validity, revocation status
//     and subject = holder; with a registry, every key still current) and
//     answers CONNACK 0x00, or 0x86 (bad user name or password) for any
//     refusal, logged with its reason; 0x89 (server busy) when
//     AdmissionConfig.MaxDevices devices are connected already. The
//     CONNACK announces Maximum QoS 1, Receive Maximum
//     (DefaultReceiveMaximum) and Maximum Packet Size (MaxPacketSize);
//     retained messages are not available (Retain Available 0). The connection is bound to the DID: it may publish
//     only readings that name it.
//
//  4. PUBLISH at QoS 1, on topic T, one signed reading (package reading)
//     whose "topic" is T, as deterministic CBOR (first byte a CBOR map,
//     0xa0–0xbb) or as JSON (first non-space byte "{"). The PUBACK comes once
//     the gateway has decided, with an MQTT 5.0 reason code (§3.4.2.1):
//     0x00 success, or a refusal with a Reason String saying why (unless the
//     device set Request Problem Information to 0), listed below.
//
// QoS 0 publishes are taken the same way, with no answer. A PUBLISH beyond
// what the CONNACK announced ends the connection (MQTT 5.0 §3.3.1.2,
// §3.3.1.3, §3.3.4): at QoS 2, DISCONNECT 0x9B (QoS not supported); with
// RETAIN set, DISCONNECT 0x9A (Retain not supported); beyond the Receive
// Maximum, DISCONNECT 0x93. Its reading is neither taken nor acknowledged
// (no PUBACK, no PUBREC), and Broker.Disconnects counts it. Subscriptions are
// granted only on topic names the credential's Read role covers. The
// sequence number must increase per device: the gateway decides a
// device's readings in the order they arrive, and its reorder window
// (batch.DefaultReorderWindow) takes redeliveries after a reconnect; a
// device that restarts without remembering it can take its clock in
// milliseconds, as the demo does.
//
// # PUBACK reason codes
//
//   - 0x00 success: the reading is in the gateway's write-ahead log
//     (fsynced); it will be sealed, stored and anchored, also across a crash,
//     and GET /v1/evidence/{id} serves its bundle once anchored. A
//     redelivery of a reading already acknowledged (same ID) gets 0x00 again.
//   - 0x87 not authorized: the signature does not verify; the key is unknown,
//     revoked or rotated out; no admitted credential grants publish on T
//     (also after a revocation); or the reading names another device than
//     the connection's.
//   - 0x90 topic name invalid: T is not the reading's signed topic.
//   - 0x97 quota exceeded: the gateway holds Config.MaxPending readings in
//     flight, or its anchoring backlog is full (batch.ErrOverloaded); nothing
//     was stored, publish again later. (0x89 "server busy" is not a PUBACK
//     code in MQTT 5.)
//   - 0x99 payload format invalid: not exactly one signed reading in either
//     encoding (size, unknown or duplicate members, non-canonical CBOR, ...).
//   - 0x83 implementation specific: the sequence number was accepted before
//     with other content (replay) or lies behind the reorder window, or the
//     time is beyond the gateway's clock-drift bounds.
//   - 0x80 unspecified: the gateway is closing or its write-ahead log failed.
//
// # External brokers
//
// Through an external broker (Bridge) the device connects to that broker
// with the broker's own credentials, and is admitted beforehand with POST
// /v1/admit carrying the presentation as the body (200 {"device": DID}, or
// 403 {"error": ...}). The broker's PUBACK then only says that the broker has
// the reading; the gateway takes it through its persistent subscription,
// acknowledges it to the broker after its write-ahead log (so the broker
// delivers it again after a gateway crash), and logs and counts refusals.
//
// # Revocation bound
//
// A revocation stops a device without a restart within a bound the operator
// sets:
//
//   - A credential revoked in its issuer's Bitstring Status List: Run fetches
//     every status list in use and re-verifies every admitted device's
//     credentials every AdmissionConfig.Recheck (default 30 s); a device that
//     fails is dropped from the Authorizer, and its next reading is refused
//     with 0x87. Bound: Recheck plus one fetch. A list is trusted until
//     StatusMaxAge (default 2 × Recheck) after its issuance (its validFrom,
//     so a replayed old list buys nothing, and an older list never replaces
//     a newer one), after which the credentials that depend on it fail:
//     revocation fails closed. Issuers must re-sign their lists at least
//     that often.
//   - A device key revoked or rotated out in a did.Registry: the gateway
//     resolves keys through did.NewKeyCache(n, did.KeyResolvers{registry,
//     did.SelfCertifying{}}, ttl), and every reading's signature is checked
//     with the key the registry gives at the reading's time. Bound: ttl.
//
// With the defaults (Recheck 30 s, key TTL 30 s as examples/gateway sets
// it) both bounds are at most 60 s.
//
// # Memory and overload
//
// Readings in flight — queued or inside SubmitBatch — are bounded by
// Config.MaxPending; beyond it a publish is refused at once with 0x97
// rather than queued, so memory stays bounded when devices offer more than
// the gateway verifies and fsyncs. Each device's unacknowledged publishes are
// bounded by the Receive Maximum it was given (one more, and the embedded
// broker disconnects it with 0x93), and packets by MaxPacketSize. An
// admitted connection lost before its CONNACK could be written leaves
// nothing behind in the gateway or in the broker library. Admitted devices
// are bounded by AdmissionConfig.MaxDevices: one more drops, of the devices
// not connected, the one whose latest admission or disconnect is the
// oldest; it is admitted again when it next presents its credentials (an
// embedded-broker device does at every CONNECT). A connected device is
// never dropped for room (Admission.Hold), so the embedded broker takes at
// most MaxDevices connections at once and answers one more with CONNACK
// 0x89 (server busy).
package mqttgw
