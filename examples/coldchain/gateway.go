package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/merkle"
)

// gateway is the smallest honest version of an ingestion gateway: it
// verifies each reading, rejects replays, keeps the open batch, and seals it
// into a Merkle tree stored under its content ID.
type gateway struct {
	lastSeq  map[string]uint64
	open     []SignedReading
	storeDir string
}

// batch is a sealed window of readings.
type batch struct {
	start, end time.Time
	leaves     [][]byte
	tree       *merkle.Tree
	root       canon.Digest
	cid        cid.Cid
}

func (g *gateway) ingest(s SignedReading) error {
	if err := verify(s); err != nil {
		return err
	}
	if s.Seq <= g.lastSeq[s.Device] {
		return fmt.Errorf("%w: device %s seq %d", errReplay, short(s.Device), s.Seq)
	}
	g.lastSeq[s.Device] = s.Seq
	g.open = append(g.open, s)
	return nil
}

func (g *gateway) seal(start time.Time, window time.Duration) (*batch, error) {
	b := &batch{start: start, end: start.Add(window)}
	for _, s := range g.open {
		l, err := s.leaf()
		if err != nil {
			return nil, err
		}
		b.leaves = append(b.leaves, l)
	}
	g.open = nil
	b.tree = merkle.NewTree(merkle.BLAKE3, b.leaves)
	b.root = merkle.BLAKE3.Digest(b.tree.Root())

	// Off-chain storage: the batch as JSON lines under its content ID.
	// (Encryption to recipients comes with the store package.)
	var blob []byte
	for _, l := range b.leaves {
		blob = append(append(blob, l...), '\n')
	}
	c, err := blobCID(blob)
	if err != nil {
		return nil, err
	}
	b.cid = c
	if err := os.MkdirAll(g.storeDir, 0o755); err != nil {
		return nil, err
	}
	return b, os.WriteFile(filepath.Join(g.storeDir, c.String()), blob, 0o644)
}

func (s *SignedReading) fromLeaf(b []byte) error { return json.Unmarshal(b, s) }
