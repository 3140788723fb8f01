package tlog

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"net/http"
	"strings"

	"github.com/transparency-dev/tessera/api/layout"
)

// Handler returns an http.Handler that serves the log read-only in the
// c2sp.org/tlog-tiles layout, from whatever storage it is on (POSIX,
// MySQL, ...), so that anyone can audit it with standard tools (see the
// package documentation):
//
//	GET /checkpoint                     the latest checkpoint this Log verified
//	GET /tile/<L>/<N>[.p/<W>]           hash tiles
//	GET /tile/entries/<N>[.p/<W>]       entry bundles
//
// Paths are accepted only in their one canonical spelling. A partial tile
// or bundle holds exactly W hashes or entries, even where the storage
// holds more (MySQL keeps one row per tile and grows it); a resource the
// log does not hold yet is 404. Mount it under a prefix with
// http.StripPrefix.
func (l *Log) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkpoint", func(w http.ResponseWriter, r *http.Request) {
		if l.usable() != nil {
			http.Error(w, "log closed or failed", http.StatusServiceUnavailable)
			return
		}
		serveStatic(w, "text/plain; charset=utf-8", "no-cache", l.Checkpoint().Raw)
	})
	mux.HandleFunc("GET /tile/", func(w http.ResponseWriter, r *http.Request) {
		if l.usable() != nil {
			http.Error(w, "log closed or failed", http.StatusServiceUnavailable)
			return
		}
		rest := strings.TrimPrefix(r.URL.Path, "/tile/")
		level, n, ok := strings.Cut(rest, "/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		var body []byte
		var err error
		if level == "entries" {
			i, p, perr := layout.ParseTileIndexPartial(n)
			if perr != nil || layout.EntriesPath(i, p) != "tile/"+rest {
				http.NotFound(w, r)
				return
			}
			body, err = l.reader.ReadEntryBundle(r.Context(), i, p)
			if err == nil && p > 0 {
				body, err = firstEntries(body, int(p))
			}
		} else {
			lv, i, p, perr := layout.ParseTileLevelIndexPartial(level, n)
			if perr != nil || layout.TilePath(lv, i, p) != "tile/"+rest {
				http.NotFound(w, r)
				return
			}
			body, err = l.reader.ReadTile(r.Context(), lv, i, p)
			if err == nil && p > 0 {
				if len(body) < 32*int(p) {
					err = fs.ErrNotExist
				} else {
					body = body[:32*int(p)]
				}
			}
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			http.NotFound(w, r)
		case err != nil:
			l.log.Warn("serving tile", "path", r.URL.Path, "err", err)
			http.Error(w, "storage unavailable", http.StatusServiceUnavailable)
		default:
			// A full tile never changes; a partial one is replaced by a
			// longer one under another path.
			serveStatic(w, "application/octet-stream", "public, max-age=31536000, immutable", body)
		}
	})
	return mux
}

func serveStatic(w http.ResponseWriter, contentType, cache string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", cache)
	w.Write(body)
}

// firstEntries returns the prefix of an entry bundle (big-endian 16-bit
// length, then the entry, for each) that holds its first n entries.
func firstEntries(bundle []byte, n int) ([]byte, error) {
	off := 0
	for range n {
		if off+2 > len(bundle) {
			return nil, fs.ErrNotExist
		}
		off += 2 + int(binary.BigEndian.Uint16(bundle[off:]))
		if off > len(bundle) {
			return nil, corrupt(errors.New("truncated entry"), "entry bundle")
		}
	}
	return bundle[:off], nil
}
