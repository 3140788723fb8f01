package vc_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/iotrust/iotrust/vc"
)

func TestFetchStatusList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/list":
			w.Write([]byte("  eyJhbGciOiJFZERTQSJ9.e30.sig \n"))
		case "/huge":
			w.Write(bytes.Repeat([]byte("a"), vc.MaxStatusListCredential+1))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	got, err := vc.FetchStatusList(ctx, srv.URL+"/list")
	if err != nil || string(got) != "eyJhbGciOiJFZERTQSJ9.e30.sig" {
		t.Fatalf("fetch: %q, %v", got, err)
	}
	for name, u := range map[string]string{
		"not found":     srv.URL + "/none",
		"too large":     srv.URL + "/huge",
		"not http":      "file:///etc/passwd",
		"no server":     "http://127.0.0.1:1/list",
		"malformed URL": "http://[::1",
	} {
		if _, err := vc.FetchStatusList(ctx, u); !errors.Is(err, vc.ErrStatusUnavailable) {
			t.Errorf("%s: %v, want ErrStatusUnavailable", name, err)
		}
	}
}
