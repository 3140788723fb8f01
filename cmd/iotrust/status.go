package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/iotrust/iotrust/vc"
)

// maxStatusListSize bounds a status list credential read from a file or
// fetched: the largest encoded list vc accepts, in a JWT's base64, and
// room for the rest of the credential.
const maxStatusListSize = vc.MaxEncodedStatusList*4/3 + 64<<10

// statusLists verifies the status list credentials at srcs (files, or
// http(s) URLs fetched once) as of now, from the trusted issuers, and
// returns them as the cache a device credential's status is checked in.
func statusLists(ctx context.Context, e *env, srcs, issuers []string) (*vc.StatusCache, error) {
	v := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: issuers, Now: e.now})
	cache := &vc.StatusCache{}
	for _, src := range srcs {
		var raw []byte
		var err error
		if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
			raw, err = fetchStatusList(ctx, src)
		} else {
			raw, err = readInput(e, src, maxStatusListSize)
		}
		if err == nil {
			err = cache.Add(ctx, v, bytes.TrimSpace(raw))
		}
		if err != nil {
			return nil, fmt.Errorf("--status-list %s: %w", src, err)
		}
	}
	return cache, nil
}

// fetchStatusList GETs the status list credential at u, within 30 s.
func fetchStatusList(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	return readAtMost(resp.Body, u, maxStatusListSize)
}
