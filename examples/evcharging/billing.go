package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/devnet"
	"github.com/iotrust/iotrust/evidence"
	"github.com/iotrust/iotrust/payment"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/vc"
)

// billingEvidence seals the session's meter values, waits until their batch
// is anchored with a final receipt, and returns the evidence bundle of the
// billing-relevant values.
func billingEvidence(ctx context.Context, p printer, gw *batch.Gateway, s *session) (*evidence.Bundle, error) {
	began := time.Now()
	if err := gw.Flush(ctx); err != nil {
		return nil, err
	}
	final, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	infos, err := gw.WaitFinal(final, 1)
	if err != nil {
		return nil, err
	}
	info := infos[0]
	r := info.Receipts[0]
	p.f("   batch %d sealed: %d readings, root %s…, log entry %d, %s after %.1f s",
		info.Number, info.Commitment.Count, info.Commitment.Root.String()[:20], r.Position, r.State, time.Since(began).Seconds())
	b, err := gw.EvidenceSet(ctx, s.billing...)
	if err != nil {
		return nil, err
	}
	times := make([]string, len(b.Readings))
	for i, r := range b.Readings {
		times[i] = r.Time.Format("15:04")
	}
	p.f("   evidence: %d signed meter values (%s) with one inclusion proof of %d hashes, the meter's credential, the log's receipt",
		len(b.Readings), strings.Join(times, ", "), len(b.MultiInclusion.Path))
	return b, nil
}

// bill is the session's bill, computed from the evidence bundle alone.
type bill struct {
	lines  []string
	energy uint64   // Wh
	total  *big.Int // smallest currency unit
	rebate *big.Int
	start  reading.Signed
	end    reading.Signed
}

// billFrom prices the energy between consecutive meter values of the bundle
// with the tariff and the rebate, as the payment meters did during the
// session, and rounds up once.
func billFrom(b *evidence.Bundle, tariff *payment.Tariff) (*bill, error) {
	withRebate, err := payment.NewMeter(tariff, rebate)
	if err != nil {
		return nil, err
	}
	list, err := payment.NewMeter(tariff, nil)
	if err != nil {
		return nil, err
	}
	out := &bill{start: b.Readings[0], end: b.Readings[len(b.Readings)-1]}
	for i := 1; i < len(b.Readings); i++ {
		u := usageBetween(b.Readings[i-1], b.Readings[i])
		before := withRebate.Cost()
		if err := withRebate.Record(u); err != nil {
			return nil, err
		}
		if err := list.Record(u); err != nil {
			return nil, err
		}
		price, err := tariff.Cost(payment.Usage{From: u.From, To: u.From, Quantity: 1000})
		if err != nil {
			return nil, err
		}
		cost := new(big.Rat).Sub(withRebate.Cost(), before)
		note := ""
		if u.Quality == gridSupport {
			note = " × 2/3 grid support"
		}
		out.lines = append(out.lines, fmt.Sprintf("%s–%s  %s kWh × %s/kWh%s = %s",
			u.From.Format("15:04"), u.To.Format("15:04"), kwh(u.Quantity), money(price.Num()), note, ratMoney(cost)))
		out.energy += u.Quantity
	}
	out.total = withRebate.Due()
	out.rebate = new(big.Int).Sub(list.Due(), out.total)
	return out, nil
}

// String is the bill as written beside the evidence bundle.
func (b *bill) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "Charging session %s at %s, contract %s\n", sessionID, chargerID, contractID)
	fmt.Fprintf(&s, "Meter values (signed by %s, in the evidence bundle):\n", b.start.Device)
	fmt.Fprintf(&s, "  start %s  %s kWh\n  end   %s  %s kWh\n", b.start.Time.Format(time.RFC3339), kwh(uint64(b.start.Value)),
		b.end.Time.Format(time.RFC3339), kwh(uint64(b.end.Value)))
	for _, l := range b.lines {
		fmt.Fprintf(&s, "  %s\n", l)
	}
	fmt.Fprintf(&s, "Total %s kWh: %s (grid-support rebate %s), amounts in millionths of a euro rounded up once\n",
		kwh(b.energy), money(b.total), money(b.rebate))
	return s.String()
}

// kwh formats watt-hours as kilowatt-hours.
func kwh(wh uint64) string { return fmt.Sprintf("%d.%03d", wh/1000, wh%1000) }

// ratMoney formats an exact amount; one that is not whole is shown rounded
// up, marked "+".
func ratMoney(r *big.Rat) string {
	if r.IsInt() {
		return money(r.Num())
	}
	q := new(big.Int).Quo(r.Num(), r.Denom())
	return money(q.Add(q, big.NewInt(1))) + "+"
}

// billingRecord writes the session's billing record to out: the evidence
// bundle of its billing-relevant meter values (with the meter's credential),
// the log's verifier key, and the bill, which it computes from the bundle
// after verifying the bundle as an auditor would.
func billingRecord(ctx context.Context, p printer, log *tlog.Log, gw *batch.Gateway, s *session, id *identities,
	tariff *payment.Tariff, out string,
) (*bill, error) {
	bundle, err := billingEvidence(ctx, p, gw, s)
	if err != nil {
		return nil, err
	}
	bundle.Credential = []byte(id.meterCred)
	raw, err := bundle.Marshal()
	if err != nil {
		return nil, err
	}
	bundlePath := filepath.Join(out, sessionID+".evidence.json")
	if err := os.WriteFile(bundlePath, raw, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(out, "log.vkey"), []byte(log.VerifierKey()+"\n"), 0o644); err != nil {
		return nil, err
	}
	// The auditor's side: the file, the log's public key and the meter
	// maker's DID, nothing else.
	parsed, err := evidence.Parse(raw)
	if err != nil {
		return nil, err
	}
	report := evidence.Verify(ctx, parsed, evidence.Trust{
		Ledgers: []evidence.Ledger{devnet.TrustedLedger(log)},
		Credentials: vc.NewVerifier(vc.VerifierConfig{
			TrustedIssuers: []string{id.meterMaker.DID()}, Now: func() time.Time { return sessionEnd },
		}),
	})
	if !report.OK() {
		return nil, fmt.Errorf("billing evidence: %w\n%s", report.Err(), report)
	}
	p.f("   %s: %s", filepath.Base(bundlePath), summary(report))
	tampered, _ := evidence.Parse(raw)
	tampered.Readings[len(tampered.Readings)-1].Value -= 1000 // one kWh less on the end value
	rep := evidence.Verify(ctx, tampered, evidence.Trust{Ledgers: []evidence.Ledger{devnet.TrustedLedger(log)}})
	if rep.OK() {
		return nil, errors.New("a bundle with an edited meter value verified")
	}
	p.f("   the same bundle with the end value lowered by 1 kWh: refused (%s fail)", failed(rep))
	b, err := billFrom(parsed, tariff)
	if err != nil {
		return nil, err
	}
	for _, l := range b.lines {
		p.f("     %s", l)
	}
	if err := os.WriteFile(filepath.Join(out, sessionID+".bill.txt"), []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	return b, nil
}

// summary says how a report's checks came out: "11 pass, 1 skipped (zkp: …)".
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
	s := fmt.Sprintf("%d checks pass", pass)
	if len(skipped) > 0 {
		s += fmt.Sprintf(", %d skipped (%s)", len(skipped), strings.Join(skipped, "; "))
	}
	return s
}

// failed names a report's failed checks.
func failed(r *evidence.Report) string { return strings.Join(r.Names(evidence.Fail), ", ") }
