package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/vc"
	"github.com/iotrust/iotrust/zkp"
	"github.com/iotrust/iotrust/zkp/solidity"
)

// audited is the logger reading the auditor checks.
const audited = 7

// audit writes the evidence bundle of one private logger reading to a file
// — the gateway's bundle, plus the device's credential and the carrier's
// proof that the committed value lay within 2.00–8.00 °C — and has an
// auditor check it from that file with nothing but public keys: the log's,
// the manufacturer's DID and the proof system's verifying key.
func audit(ctx context.Context, p *printer, f *fleet, gw *gateway, sh *shipment, iv zkp.Interval, out string) error {
	s := sh.logger[audited-1]
	id, err := s.ID()
	if err != nil {
		return err
	}
	b, err := gw.pipeline.Evidence(ctx, id)
	if err != nil {
		return err
	}
	// Development keys of the single-reading circuit (public seed; a
	// ceremony's keys in production), the ones zkp/solidity's verifier embeds.
	pk, vk, err := solidity.DevReadingKeys()
	if err != nil {
		return err
	}
	c, err := zkp.ParseCommitment(s.Commitment)
	if err != nil {
		return err
	}
	proof, err := zkp.Prove(pk, zkp.ReadingClaim{Interval: iv, Commitment: c}, []zkp.Opening{sh.openings[c]})
	if err != nil {
		return err
	}
	b.Credential = []byte(f.logger.credential)
	b.ZKP = &evidence.ZKProof{Claim: evidence.Claim{Kind: zkp.KindReading, Intervals: []zkp.Interval{iv}}, Proof: proof}
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	if out == "" {
		if out, err = os.MkdirTemp("", "iotrust-coldchain-evidence-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	file := filepath.Join(out, fmt.Sprintf("%s-logger-%d.evidence.json", shipmentID, audited))
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		return err
	}
	// The public keys an auditor needs, beside the bundle.
	keyFile, zkFile := filepath.Join(out, "log.vkey"), filepath.Join(out, "reading.vk")
	if err := os.WriteFile(keyFile, []byte(gw.logKey+"\n"), 0o644); err != nil {
		return err
	}
	var zk bytes.Buffer
	if _, err := vk.WriteTo(&zk); err != nil {
		return err
	}
	if err := os.WriteFile(zkFile, zk.Bytes(), 0o644); err != nil {
		return err
	}
	p.f("   logger reading #%d (value private): evidence bundle of %d bytes written to\n     %s\n", audited, len(raw), file)
	p.f("   check it later: go run ./cmd/iotrust verify --log-key \"$(cat %s)\" \\\n       --issuer %s --zk-key %s %s\n",
		keyFile, f.manufacturer.DID(), zkFile, file)

	// The auditor: the file and public keys, nothing from the gateway.
	raw, err = os.ReadFile(file)
	if err != nil {
		return err
	}
	got, err := evidence.Parse(raw)
	if err != nil {
		return err
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	noteVerifier, err := note.NewVerifier(strings.TrimSpace(string(key)))
	if err != nil {
		return err
	}
	logVerifier, err := tlog.NewVerifier(noteVerifier)
	if err != nil {
		return err
	}
	trust := evidence.Trust{
		Ledgers: []evidence.Ledger{{Name: tlog.LedgerName, Chain: noteVerifier.Name(), Verifier: logVerifier}},
		// The credential is judged at the reading's time, not the audit's.
		Credentials: vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{f.manufacturer.DID()},
			Now: func() time.Time { return s.Time }}),
		ZKPKeys: []*zkp.VerifyingKey{vk},
	}
	report := evidence.Verify(ctx, got, trust)
	p.f("   auditor: %s\n", summary(report))
	if !report.OK() || hasSkip(report) {
		return fmt.Errorf("evidence does not verify:\n%s", report)
	}

	// The same bundle with the commitment swapped for another reading's.
	other, err := evidence.Parse(raw)
	if err != nil {
		return err
	}
	other.Readings[0].Commitment = sh.logger[audited].Commitment
	bad := evidence.Verify(ctx, other, trust)
	p.f("   the same bundle with another commitment: %s\n", summary(bad))
	if bad.OK() {
		return fmt.Errorf("a tampered bundle verifies")
	}
	return nil
}

// summary lists a report's checks by outcome on one line.
func summary(r *evidence.Report) string {
	var parts []string
	for _, o := range []evidence.Outcome{evidence.Pass, evidence.Fail, evidence.Skip} {
		if names := r.Names(o); len(names) > 0 {
			parts = append(parts, o.String()+" "+strings.Join(names, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

func hasSkip(r *evidence.Report) bool { return len(r.Names(evidence.Skip)) > 0 }
