package batch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/iotrust/iotrust/merkle"
)

// recover rebuilds the gateway's state from its directory: the batches not
// settled from the index, then every write-ahead segment left behind — a
// segment whose batch the index holds is removed, any other is replayed
// into its devices' windows (read from the index as for a reading) and
// sealed as a batch of its own. Other devices' windows are read when they
// next send.
func (g *Gateway) recover(ctx context.Context) error {
	recs, last, err := g.idx.load()
	if err != nil {
		return err
	}
	g.dev, g.lastBatch = map[string]*liveWindow{}, last
	segs, err := listSegments(g.cfg.Dir)
	if err != nil {
		return err
	}
	next := uint64(1)
	var jobs []sealJob
	for _, n := range segs {
		next = max(next, n+1)
		sealed, err := g.idx.segmentSealed(n)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if sealed {
			if err := removeSegment(g.cfg.Dir, n); err != nil {
				return fmt.Errorf("batch: removing sealed segment %d: %w", n, err)
			}
			continue
		}
		leaves, err := replaySegment(g.cfg.Dir, n, g.cfg.MaxBatch)
		if err != nil {
			return err
		}
		if len(leaves) == 0 {
			if err := removeSegment(g.cfg.Dir, n); err != nil {
				return fmt.Errorf("batch: removing empty segment %d: %w", n, err)
			}
			continue
		}
		job := sealJob{segNo: n}
		for _, leaf := range leaves {
			s, id, err := parseLeaf(leaf)
			if err != nil {
				return fmt.Errorf("%w: segment %d: %w", ErrCorrupt, n, err)
			}
			w, err := g.window(s.Reading.Device)
			if err != nil {
				return err
			}
			w.accept(s.Reading.Seq)
			w.unsealed++
			job.readings = append(job.readings, pending{id: id, leaf: leaf, time: s.Reading.Time, device: s.Reading.Device, seq: s.Reading.Seq})
		}
		jobs = append(jobs, job)
	}
	g.seg, err = openSegment(g.cfg.Dir, next, g.cfg.MaxBatch, segmentPrealloc(g.cfg.MaxBatch, 0), nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWAL, err)
	}
	// Seal what the last run acknowledged, then anchor what it sealed.
	for _, job := range jobs {
		g.backlog.Add(1)
		if err := g.seal(job); err != nil {
			return fmt.Errorf("batch: sealing segment %d after restart: %w", job.segNo, err)
		}
		g.cfg.Logger.Info("sealed readings acknowledged before a restart", "segment", job.segNo, "readings", len(job.readings))
	}
	// The anchorer takes these before anything sealed from now on; they
	// are not queued on anchorq, whose room is for the backlog Submit
	// bounds, while there may be any number of them.
	for _, rec := range recs {
		if rec.State == stateSealed {
			g.backlog.Add(1)
		}
		g.recovered = append(g.recovered, rec.Number)
	}
	g.recoveredLeft.Store(int64(len(g.recovered)))
	g.recoveredN = len(g.recovered)
	return nil
}

// Write-ahead segments are files wal/<number>.wal, one per batch.
func segmentPath(dir string, n uint64) string {
	return filepath.Join(dir, "wal", fmt.Sprintf("%016d.wal", n))
}

func listSegments(dir string) ([]uint64, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "wal"))
	if err != nil {
		return nil, fmt.Errorf("batch: listing write-ahead segments: %w", err)
	}
	var out []uint64
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".wal")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(name, 10, 64)
		if err != nil || n == 0 {
			continue
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

func removeSegment(dir string, n uint64) error {
	err := os.Remove(segmentPath(dir, n))
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// treeCache keeps the trees and leaves of the batches sealed or read
// last, so that evidence for their readings needs no store read, within a
// bound on the memory they take: a gateway's live heap, which sets how
// much its collector works and how much fresh memory it touches, would
// otherwise grow by every cached batch.
type treeCache struct {
	mu    sync.Mutex
	max   int64 // bytes
	size  int64 // bytes held
	order []uint64
	trees map[uint64]cachedTree
}

type cachedTree struct {
	tree   *merkle.Tree
	leaves [][]byte
	size   int64 // set by put
}

// treeCacheBytes bounds a Gateway's tree cache: two to three full
// batches of typical readings.
const treeCacheBytes = 4 << 20

func newTreeCache(maxBytes int64) *treeCache {
	return &treeCache{max: maxBytes, trees: map[uint64]cachedTree{}}
}

// put caches batch n's tree, dropping the oldest entries to make room; a
// batch larger than the whole cache is not cached.
func (c *treeCache) put(n uint64, t cachedTree) {
	t.size = 0
	for _, l := range t.leaves {
		t.size += int64(len(l))
	}
	t.size += int64(len(t.leaves)) * (24 + 2*merkle.HashSize) // slice headers, tree nodes
	if t.size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.trees[n]; ok {
		return
	}
	for c.size+t.size > c.max && len(c.order) > 0 {
		c.size -= c.trees[c.order[0]].size
		delete(c.trees, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, n)
	c.trees[n] = t
	c.size += t.size
}

func (c *treeCache) get(n uint64) (cachedTree, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.trees[n]
	return t, ok
}
