package aggregate_test

import (
	"net/http/httptest"
	"testing"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/aggregate"
	"github.com/iotrust/iotrust/anchor/anchortest"
)

// serve starts a loopback HTTP server of l and returns a Client of it.
func serve(t testing.TB, l anchor.Ledger) *aggregate.Client {
	t.Helper()
	srv := httptest.NewServer(aggregate.Handler(l))
	t.Cleanup(srv.Close)
	c, err := aggregate.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestConformanceHTTP runs the suite on a Client talking to a shared
// aggregator over a real loopback HTTP server.
func TestConformanceHTTP(t *testing.T) {
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		a := openAggregator(t, testConfig(openLog(t, t.TempDir()), t.TempDir()))
		return serve(t, a)
	})
}
