package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/iotrust/iotrust/vc"
)

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
			raw, err = vc.FetchStatusList(ctx, src)
		} else {
			raw, err = readInput(ctx, e, src, vc.MaxStatusListCredential)
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
