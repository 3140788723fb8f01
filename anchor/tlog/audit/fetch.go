package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/transparency-dev/tessera/api/layout"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// Bounds on what a Source reads. A log of iotrust commitments never comes
// near them; a hostile server that sends more is refused without its
// answer being held in memory.
const (
	// MaxTileSize is a full tile: 256 hashes of 32 bytes.
	MaxTileSize = layout.TileWidth * 32
	// MaxEntryBundleSize is a full bundle of the largest commitments,
	// each with its 2-byte length prefix.
	MaxEntryBundleSize = layout.EntryBundleWidth * (2 + anchor.MaxEncodedLen)
)

// Errors of a Source.
var (
	// ErrNotFound is returned for a file the log does not have; it matches
	// os.ErrNotExist, as Tessera's client and fsck require.
	ErrNotFound = fmt.Errorf("audit: not found: %w", os.ErrNotExist)
	// ErrTooLarge is returned for a file larger than any the log format
	// allows.
	ErrTooLarge = errors.New("audit: file larger than the log format allows")
	// ErrUnavailable is returned when the log cannot be read (I/O, HTTP
	// status other than 200 and 404, network).
	ErrUnavailable = errors.New("audit: log unavailable")
)

// Source reads the files of a Tessera log laid out as c2sp.org/tlog-tiles,
// from a directory or over HTTP. It implements the fetcher interfaces of
// Tessera's client and fsck packages, with every read bounded.
type Source struct {
	dir    string   // a local directory, or
	base   *url.URL // the URL the log's files are under
	client *http.Client
}

// Open returns the Source at loc: an http:// or https:// URL of the
// directory holding the log's "checkpoint" file, or a local directory.
// Over HTTP it reads with a client whose requests time out after 30 s.
func Open(loc string) (*Source, error) { return OpenWithClient(loc, nil) }

// OpenWithClient is Open reading an http(s) loc with hc (an
// authenticating transport, a proxy, other timeouts); nil selects Open's
// client. Each read is also bounded by its context.
func OpenWithClient(loc string, hc *http.Client) (*Source, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		u, err := url.Parse(loc)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("audit: %q is not a URL", loc)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		u.RawQuery, u.Fragment = "", ""
		return &Source{base: u, client: hc}, nil
	}
	fi, err := os.Stat(loc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("audit: %s is not a directory", loc)
	}
	return &Source{dir: loc}, nil
}

// String returns the directory or URL.
func (s *Source) String() string {
	if s.base != nil {
		return s.base.String()
	}
	return s.dir
}

// ReadCheckpoint returns the log's latest checkpoint, unverified.
func (s *Source) ReadCheckpoint(ctx context.Context) ([]byte, error) {
	return s.read(ctx, layout.CheckpointPath, tlog.MaxCheckpointLen)
}

// ReadTile returns the tile at level l, index i, partial width p (0 for a
// full tile), falling back to the full tile when a partial one is gone.
func (s *Source) ReadTile(ctx context.Context, l, i uint64, p uint8) ([]byte, error) {
	return partialOrFull(p, func(p uint8) ([]byte, error) {
		return s.read(ctx, layout.TilePath(l, i, p), MaxTileSize)
	})
}

// ReadEntryBundle returns the entry bundle at index i, partial width p,
// falling back to the full bundle when a partial one is gone.
func (s *Source) ReadEntryBundle(ctx context.Context, i uint64, p uint8) ([]byte, error) {
	return partialOrFull(p, func(p uint8) ([]byte, error) {
		return s.read(ctx, layout.EntriesPath(i, p), MaxEntryBundleSize)
	})
}

// partialOrFull reads a partial resource, or the full one that replaces it
// once the log has grown.
func partialOrFull(p uint8, read func(uint8) ([]byte, error)) ([]byte, error) {
	b, err := read(p)
	if p != 0 && errors.Is(err, os.ErrNotExist) {
		return read(0)
	}
	return b, err
}

// read returns the file at path (from layout, so relative and clean), of
// at most max bytes.
func (s *Source) read(ctx context.Context, path string, max int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.base == nil {
		// Non-blocking, so that a FIFO in the directory cannot hold the
		// open until somebody writes to it; only a regular file is read.
		f, err := os.OpenFile(filepath.Join(s.dir, filepath.FromSlash(path)), os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%w: %s is not a regular file", ErrUnavailable, path)
		}
		return readBounded(f, path, max)
	}
	u := s.base.JoinPath(path)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w: %s", ErrNotFound, u)
	default:
		return nil, fmt.Errorf("%w: %s: HTTP %s", ErrUnavailable, u, resp.Status)
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, u, resp.ContentLength, max)
	}
	return readBounded(resp.Body, u.String(), max)
}

func readBounded(r io.Reader, name string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, name, max)
	}
	return b, nil
}
