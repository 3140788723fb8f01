package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	stdfmt "fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark/logger"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/merkle"
	"github.com/iotrust/iotrust/zkp"
)

func main() {
	log.SetFlags(0)
	// Tessera reports through klog; a program, which owns the process's
	// global logging, decides where that goes. Here: nowhere.
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	klog.SetOutput(io.Discard)
	logger.Disable() // gnark's progress messages
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatalf("coldchain: %v", err)
	}
}

// run performs the job, printing what it does to out.
func run(ctx context.Context, out io.Writer) error {
	fmt := printer{out}
	start := time.Now()
	dir, err := os.MkdirTemp("", "iotrust-coldchain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// 1. Provisioning: each sensor gets a key pair and the DID that names it.
	// Two classical sensors and one post-quantum (ML-DSA-44, did:jwk).
	// Sensor 0 is private: it reports commitments, not values, and keeps
	// the openings for its owner.
	fmt.Println("1. provisioning sensors")
	schemes := []did.Scheme{did.Ed25519, did.P256, did.MLDSA44}
	keys := make([]did.PrivateKey, len(schemes))
	dids := make([]string, len(schemes))
	for i, s := range schemes {
		if keys[i], err = s.GenerateKey(nil); err != nil {
			return err
		}
		if dids[i], err = did.New(keys[i].Public()); err != nil {
			return err
		}
		kind := "public values"
		if i == 0 {
			kind = "private: commitments only"
		}
		fmt.Printf("   sensor %d  %-9s %s  (%s)\n", i, s.Name(), short(dids[i]), kind)
	}
	openings := map[uint64]zkp.Opening{} // sensor 0's, by sequence number

	// 2. The transparency log the gateway anchors to (a directory here; the
	// same log runs on MySQL or cloud storage).
	_, logKey, _ := ed25519.GenerateKey(nil)
	signer, verifier, err := tlog.NewEd25519Signer("example.com/coldchain/anchors", logKey)
	if err != nil {
		return err
	}
	ledger, err := tlog.Open(ctx, tlog.Config{
		Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval,
	})
	if err != nil {
		return err
	}
	defer ledger.Close()
	auditor, err := tlog.NewVerifier(verifier)
	if err != nil {
		return err
	}
	tracker, err := tlog.NewTracker(auditor, ledger.Checkpoint().Raw)
	if err != nil {
		return err
	}

	// 3. Two one-minute windows of readings, sealed and anchored.
	g := &gateway{lastSeq: map[string]uint64{}, storeDir: filepath.Join(dir, "blobs")}
	rng := rand.New(rand.NewPCG(7, 7))
	t0 := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	var receipts []anchor.Receipt
	var batches []*batch
	seq := make([]uint64, len(keys))
	for w := 0; w < 2; w++ {
		fmt.Printf("2.%d window %s–%s\n", w+1, t0.Add(time.Duration(w)*time.Minute).Format("15:04"), t0.Add(time.Duration(w+1)*time.Minute).Format("15:04"))
		for tick := 0; tick < 60; tick++ {
			for i, k := range keys {
				seq[i]++
				r := Reading{Device: dids[i], Shipment: "SHP-2026-0042", Seq: seq[i],
					Time: t0.Add(time.Duration(w)*time.Minute + time.Duration(tick)*time.Second).UnixMilli()}
				centi := 400 + int64(rng.IntN(120)) - 40 // 3.60 to 4.79 °C
				if i == 0 {
					c, o, err := commitCelsius(centi)
					if err != nil {
						return err
					}
					r.Commit, openings[r.Seq] = hex.EncodeToString(c[:]), o
				} else {
					r.CentiC = &centi
				}
				sr, err := sign(k, r)
				if err != nil {
					return err
				}
				if err := g.ingest(sr); err != nil {
					return err
				}
			}
		}
		// Hostile input is refused, and what was accepted stays.
		forged := g.open[len(g.open)-1]
		hot := int64(1200)
		forged.CentiC = &hot
		forged.Seq++
		fmt.Printf("   forged reading (12.00 °C):  %v\n", g.ingest(forged))
		fmt.Printf("   replayed reading:           %v\n", g.ingest(g.open[0]))

		b, err := g.seal(t0.Add(time.Duration(w)*time.Minute), time.Minute)
		if err != nil {
			return err
		}
		fmt.Printf("   sealed %d readings: root %s…  stored as %s\n", len(b.leaves), b.root.String()[:22], short(b.cid.String()))
		rcpt, err := ledger.Anchor(ctx, anchor.Commitment{
			Root: b.root, CID: b.cid, WindowStart: b.start, WindowEnd: b.end,
			Count: uint64(len(b.leaves)), Topic: "coldchain/SHP-2026-0042/temp",
		})
		if err != nil {
			return err
		}
		if rcpt, err = ledger.WaitFinal(ctx, rcpt); err != nil {
			return err
		}
		fmt.Printf("   anchored: log entry %d, state %s\n", rcpt.Position, rcpt.State)
		receipts = append(receipts, rcpt)
		batches = append(batches, b)
		if w == 0 {
			// The auditor checkpoints its view of the log after window 1.
			cp := ledger.Checkpoint()
			cons, err := ledger.ConsistencyProof(ctx, tracker.Latest().Size, cp.Size)
			if err != nil {
				return err
			}
			if _, err := tracker.Update(cp.Raw, cons); err != nil {
				return err
			}
		}
	}

	// 4. Audit, with nothing but a reading, its proof, the receipt and the
	// log's public key.
	fmt.Println("3. audit")
	b, rcpt := batches[1], receipts[1]
	i := uint64(43) // a reading of sensor 1, which reports values in the clear
	proof, err := b.tree.InclusionProof(i)
	if err != nil {
		return err
	}
	if err := auditor.VerifyReceipt(ctx, rcpt); err != nil {
		return stdfmt.Errorf("receipt: %w", err)
	}
	fmt.Printf("   receipt verifies offline against the signed checkpoint (size %d)\n", ledger.Checkpoint().Size)
	anchored, err := merkle.BLAKE3.FromDigest(rcpt.Commitment.Root)
	if err != nil {
		return err
	}
	var sr SignedReading
	if err := sr.fromLeaf(b.leaves[i]); err != nil {
		return err
	}
	if err := verify(sr); err != nil {
		return err
	}
	if err := proof.Verify(merkle.BLAKE3.HashLeaf(b.leaves[i]), anchored); err != nil {
		return err
	}
	fmt.Printf("   reading #%d (%s, %d.%02d °C): signature ok, inclusion proof of %d hashes ok\n",
		i, short(sr.Device), *sr.CentiC/100, *sr.CentiC%100, len(proof.Path))
	*sr.CentiC += 300
	tampered, _ := sr.leaf()
	fmt.Printf("   same reading edited to +3 °C: %v\n", proof.Verify(merkle.BLAKE3.HashLeaf(tampered), anchored))

	// 5. The log only grows: the auditor accepts the newer checkpoint only
	// with a consistency proof from the one it remembered.
	old := tracker.Latest().Size
	cp := ledger.Checkpoint()
	cons, err := ledger.ConsistencyProof(ctx, old, cp.Size)
	if err != nil {
		return err
	}
	if _, err := tracker.Update(cp.Raw, cons); err != nil {
		return err
	}
	fmt.Printf("   log checkpoint %d -> %d: consistency proof of %d hashes ok\n", old, cp.Size, len(cons))

	// The gateway's own per-shipment tree is append-only too.
	all := merkle.NewTree(merkle.BLAKE3, append(append([][]byte{}, batches[0].leaves...), batches[1].leaves...))
	cproof, err := all.ConsistencyProof(uint64(len(batches[0].leaves)), all.Size())
	if err != nil {
		return err
	}
	oldRoot, _ := merkle.BLAKE3.FromDigest(batches[0].root)
	fmt.Printf("   shipment tree %d -> %d readings: consistency proof %v\n", cproof.OldSize, cproof.NewSize, okOr(cproof.Verify(oldRoot, all.Root())))

	// 6. Disclosure: the owner proves that every private reading of window
	// 2 lay within 2–8 °C, and an insurer checks it without learning one value.
	if err := disclose(fmt, batches[1], dids[0], openings); err != nil {
		return err
	}

	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
	fmt.Println("\nnext: the gateway pipeline (package batch) with its write-ahead log and\nencrypted storage (store) replace this example's in-memory gateway as they land.")
	return nil
}

// printer is the few fmt functions run uses, writing to one io.Writer.
type printer struct{ w io.Writer }

func (p printer) Printf(format string, a ...any) { _, _ = stdfmt.Fprintf(p.w, format, a...) }
func (p printer) Println(a ...any)               { _, _ = stdfmt.Fprintln(p.w, a...) }

func okOr(err error) string {
	if err != nil {
		return err.Error()
	}
	return "ok"
}

// blobCID is the content ID of a stored batch: CIDv1, raw codec, BLAKE3.
func blobCID(data []byte) (cid.Cid, error) {
	sum, err := mh.Sum(data, mh.BLAKE3, 32)
	if err != nil {
		return cid.Undef, err
	}
	return cid.NewCidV1(cid.Raw, sum), nil
}
