package merkle

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// generatedRoots is testdata/generated_roots.json: roots of trees whose
// leaf i is the UTF-8 text "iotrust reading <i>", for both hashers. The
// sizes reach past chunkLeaves so that the parallel build is covered; the
// CI step recomputes them with an independent BLAKE3 and SHA-256.
type generatedRoots struct {
	Comment string `json:"comment"`
	Trees   []struct {
		Size   int  `json:"size"`
		BLAKE3 Hash `json:"blake3"`
		SHA256 Hash `json:"sha256"`
	} `json:"trees"`
}

var generatedSizes = []int{1, 2, 3, 4, 5, 7, 8, 9, 31, 100, 1000, chunkLeaves + 1}

func generatedLeaves(n int) [][]byte {
	leaves := make([][]byte, n)
	for i := range leaves {
		leaves[i] = []byte("iotrust reading " + strconv.Itoa(i))
	}
	return leaves
}

func TestGeneratedRoots(t *testing.T) {
	var g generatedRoots
	if *update {
		g.Comment = `leaf i is the UTF-8 text "iotrust reading <i>" (decimal i), leaves 0..size-1`
		for _, n := range generatedSizes {
			leaves := generatedLeaves(n)
			g.Trees = append(g.Trees, struct {
				Size   int  `json:"size"`
				BLAKE3 Hash `json:"blake3"`
				SHA256 Hash `json:"sha256"`
			}{n, BLAKE3.Root(leaves), SHA256.Root(leaves)})
		}
		writeJSON(t, "testdata/generated_roots.json", g)
	}
	raw, err := os.ReadFile("testdata/generated_roots.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Trees) != len(generatedSizes) {
		t.Fatalf("%d trees", len(g.Trees))
	}
	for _, tr := range g.Trees {
		leaves := generatedLeaves(tr.Size)
		if got := NewTree(BLAKE3, leaves).Root(); got != tr.BLAKE3 {
			t.Errorf("BLAKE3 size %d: %s, want %s", tr.Size, got, tr.BLAKE3)
		}
		if got := SHA256.Root(leaves); got != tr.SHA256 {
			t.Errorf("SHA256 size %d: %s, want %s", tr.Size, got, tr.SHA256)
		}
	}
}
