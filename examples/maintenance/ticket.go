package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// ticket is a maintenance ticket as the plant's maintenance system logs it:
// what crossed which threshold, and the evidence bundle that proves it.
type ticket struct {
	ID       string    `json:"id"`
	Asset    string    `json:"asset"`
	Opened   time.Time `json:"opened"`
	Rule     string    `json:"rule"`
	Reading  string    `json:"reading"`  // the reading's ID
	Value    string    `json:"value"`    // as the sensor signed it
	Evidence string    `json:"evidence"` // the bundle's file, beside the ticket
	Checks   string    `json:"checks"`   // how the bundle verified when the ticket was opened
}

// openTicket fetches the evidence of the alarm reading, adds the sensor's
// credential, verifies the bundle as an auditor would and only then writes
// the ticket and its bundle to out.
func openTicket(ctx context.Context, p printer, log *tlog.Log, gw *batch.Gateway, s *sensor, alarm reading.Signed, out string) error {
	id, err := alarm.ID()
	if err != nil {
		return err
	}
	bundle, err := gw.Evidence(ctx, id)
	if err != nil {
		return err
	}
	bundle.Credential = []byte(s.cred)
	raw, err := bundle.Marshal()
	if err != nil {
		return err
	}
	parsed, err := evidence.Parse(raw)
	if err != nil {
		return err
	}
	report := evidence.Verify(ctx, parsed, evidence.Trust{
		Ledgers: []evidence.Ledger{devnet.TrustedLedger(log)},
		Credentials: vc.NewVerifier(vc.VerifierConfig{
			TrustedIssuers: []string{s.oem.DID()}, Now: func() time.Time { return alarm.Time },
		}),
	})
	if !report.OK() {
		return fmt.Errorf("the alarm's evidence: %w\n%s", report.Err(), report)
	}
	t := ticket{
		ID: "MT-0001", Asset: asset, Opened: alarm.Time,
		Rule:    fmt.Sprintf("vibration velocity RMS ≥ %s mm/s", centi(threshold)),
		Reading: id.String(), Value: centi(alarm.Value) + " mm/s",
		Evidence: "MT-0001.evidence.json", Checks: summary(report),
	}
	js, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		t.Evidence: raw, "MT-0001.ticket.json": append(js, '\n'), "log.vkey": []byte(log.VerifierKey() + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	p.f("   ticket %s: %s at %s, %s; logged with %s", t.ID, asset, alarm.Time.Format(time.TimeOnly), t.Value, t.Evidence)
	p.f("   its evidence verifies: %s", t.Checks)
	return nil
}

// summary says how a report's checks came out: "9 checks pass, 1 skipped (zkp: …)".
func summary(r *evidence.Report) string {
	pass, skipped := 0, []string{}
	for _, c := range r.Checks {
		switch c.Outcome {
		case evidence.Pass:
			pass++
		case evidence.Skip:
			skipped = append(skipped, c.Name+": "+c.Reason)
		}
	}
	s := fmt.Sprintf("%d checks pass (%s)", pass, passed(r))
	if len(skipped) > 0 {
		s += fmt.Sprintf(", %d skipped (%s)", len(skipped), strings.Join(skipped, "; "))
	}
	return s
}

// passed names a report's passed checks.
func passed(r *evidence.Report) string { return strings.Join(r.Names(evidence.Pass), ", ") }
