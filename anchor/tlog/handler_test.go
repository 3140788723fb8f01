package tlog_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/api/layout"
)

// TestAuditPOSIX: the outsider's audit passes on a POSIX log, read both
// as the plain files of its directory and through Log.Handler.
func TestAuditPOSIX(t *testing.T) {
	if testing.Short() {
		t.Skip("anchors 300 commitments")
	}
	dir := t.TempDir()
	l := openTestLog(t, testConfig(t, dir))
	files := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer files.Close()
	testAudit(t, l, files.URL)
	handler := httptest.NewServer(l.Handler())
	defer handler.Close()
	if _, err := audit(t.Context(), l.VerifierKey(), httpFetcher(handler.URL), nil, 0, ""); err != nil {
		t.Fatalf("audit through the Handler: %v", err)
	}
}

// TestHandler: every resource of a POSIX log reads through Log.Handler
// as in the directory; partial resources hold exactly the width asked
// for; any other path is 404.
func TestHandler(t *testing.T) {
	dir := t.TempDir()
	l := openTestLog(t, testConfig(t, dir))
	rs := anchorConcurrently(t, l, seeds("handler", 300))
	if t.Failed() {
		t.FailNow()
	}
	if _, err := l.WaitFinal(t.Context(), rs[len(rs)-1]); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(l.Handler())
	defer srv.Close()
	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	files := httpFetcher(httptest.NewServer(http.FileServer(http.Dir(dir))).URL)
	size := l.Checkpoint().Size
	paths := []string{"checkpoint"}
	for b := uint64(0); b*layout.EntryBundleWidth < size; b++ {
		paths = append(paths, layout.EntriesPath(b, layout.PartialTileSize(0, b, size)))
	}
	for lv := uint64(0); lv < 2; lv++ {
		for i := uint64(0); i<<(8*lv)*layout.TileWidth < size; i++ {
			paths = append(paths, layout.TilePath(lv, i, layout.PartialTileSize(lv, i, size)))
		}
	}
	for _, p := range paths {
		want, err := files(context.Background(), p)
		if err != nil {
			t.Fatalf("%s from the directory: %v", p, err)
		}
		if code, got := get("/" + p); code != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%s: %d, %d bytes; the file has %d bytes", p, code, len(got), len(want))
		}
	}

	// Partial widths of a full tile and bundle.
	_, full := get("/" + layout.TilePath(0, 0, 0))
	if code, got := get("/" + layout.TilePath(0, 0, 5)); code != http.StatusOK || !bytes.Equal(got, full[:5*32]) {
		t.Errorf("partial tile of 5: %d, %d bytes", code, len(got))
	}
	code, got := get("/" + layout.EntriesPath(0, 3))
	var eb api.EntryBundle
	if err := eb.UnmarshalText(got); code != http.StatusOK || err != nil || len(eb.Entries) != 3 {
		t.Errorf("partial bundle of 3: %d, %d entries, %v", code, len(eb.Entries), err)
	}

	hostile := map[string]string{
		"unpadded index":             "/tile/0/0",
		"width 0":                    "/tile/0/000.p/0",
		"width 256":                  "/tile/0/000.p/256",
		"width with a leading zero":  "/tile/0/000.p/05",
		"redundant x group":          "/tile/0/x000/000",
		"level 64":                   "/tile/64/000",
		"level with a leading zero":  "/tile/00/000",
		"no index":                   "/tile/0/",
		"no level":                   "/tile/000",
		"negative index":             "/tile/entries/-01",
		"empty width":                "/tile/entries/000.p/",
		"tile beyond the log":        "/tile/0/x001/000",
		"bundle beyond the log":      "/tile/entries/999",
		"partial wider than the log": "/" + layout.TilePath(0, size/layout.TileWidth, 255),
		"trailing slash":             "/tile/entries/000/",
		"other file":                 "/.iotrust/index.db",
		"checkpoint with suffix":     "/checkpoint.sig",
	}
	for name, p := range hostile {
		if code, _ := get(p); code != http.StatusNotFound {
			t.Errorf("%s (%s): %d, want 404", name, p, code)
		}
	}
	resp, err := http.Post(srv.URL+"/checkpoint", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /checkpoint: %d", resp.StatusCode)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/checkpoint"); code != http.StatusServiceUnavailable {
		t.Errorf("checkpoint of a closed log: %d", code)
	}
}
