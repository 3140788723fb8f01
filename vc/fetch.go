package vc

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// MaxStatusListCredential bounds a status list credential as fetched or
// read: the largest encoded list accepted (MaxEncodedStatusList) once more
// in a JWT's base64, and room for the rest of the credential.
const MaxStatusListCredential = MaxEncodedStatusList*4/3 + 64<<10

// FetchStatusListTimeout bounds one FetchStatusList.
const FetchStatusListTimeout = 10 * time.Second

// FetchStatusList GETs the status list credential at u, an http or https
// URL, within FetchStatusListTimeout and reading at most
// MaxStatusListCredential bytes. It returns the body with surrounding white
// space trimmed, unverified: hand it to StatusCache.Add, which verifies it.
// Every failure matches ErrStatusUnavailable.
func FetchStatusList(ctx context.Context, u string) ([]byte, error) {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return nil, fmt.Errorf("%w: status list URL %q is not http(s)", ErrStatusUnavailable, trunc(u))
	}
	ctx, cancel := context.WithTimeout(ctx, FetchStatusListTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusUnavailable, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: status list %q: HTTP %d", ErrStatusUnavailable, trunc(u), resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxStatusListCredential+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusUnavailable, err)
	}
	if len(b) > MaxStatusListCredential {
		return nil, fmt.Errorf("%w: status list %q larger than %d bytes", ErrStatusUnavailable, trunc(u), MaxStatusListCredential)
	}
	return bytes.TrimSpace(b), nil
}
