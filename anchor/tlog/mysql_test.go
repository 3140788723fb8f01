package tlog_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/transparency-dev/tessera/storage/mysql"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// envMySQLDSN names the MySQL or MariaDB server the MySQL tests run
// against, as a go-sql-driver DSN whose user may create and drop
// databases named iotrust_*, e.g.
// "iotrust:secret@tcp(127.0.0.1:3306)/". Without it they skip;
// .ci/steps/52-tlog-mariadb.sh starts a MariaDB server and sets it.
const envMySQLDSN = "IOTRUST_MYSQL_DSN"

// tesseraSchema is the schema of Tessera's MySQL driver, read from the
// module it ships in (storage/mysql/schema.sql).
var tesseraSchema = sync.OnceValues(func() ([]byte, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/transparency-dev/tessera").Output()
	if err != nil {
		return nil, fmt.Errorf("locating Tessera's module: %w", err)
	}
	return os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "storage", "mysql", "schema.sql"))
})

// newMySQLDatabase creates an empty database with Tessera's schema on the
// server of IOTRUST_MYSQL_DSN, dropped when the test ends, and returns
// its DSN. It skips the test without a server.
func newMySQLDatabase(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envMySQLDSN)
	if dsn == "" {
		t.Skipf("%s not set: no MySQL server to test against", envMySQLDSN)
	}
	base, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", envMySQLDSN, err)
	}
	schema, err := tesseraSchema()
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "iotrust_" + hex.EncodeToString(suffix)

	admin := base.Clone()
	admin.DBName = ""
	db, err := sql.Open("mysql", admin.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", admin.FormatDSN())
		if err == nil {
			_, err = db.Exec("DROP DATABASE " + name)
			db.Close()
		}
		if err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	withSchema := base.Clone()
	withSchema.DBName = name
	withSchema.MultiStatements = true
	sdb, err := sql.Open("mysql", withSchema.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if _, err := sdb.Exec(string(schema)); err != nil {
		t.Fatalf("applying Tessera's schema: %v", err)
	}
	withSchema.MultiStatements = false
	return withSchema.FormatDSN()
}

// mysqlConfig returns the test log's configuration on Tessera's MySQL
// driver over the database dsn; dir holds this node's root index.
func mysqlConfig(t testing.TB, dsn, dir string) tlog.Config {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the log's Close, registered later
	drv, err := mysql.New(context.Background(), db)
	if err != nil {
		t.Fatalf("Tessera MySQL driver: %v", err)
	}
	cfg := testConfig(t, dir)
	cfg.Driver = drv
	cfg.CheckpointInterval = time.Second // the driver's minimum
	return cfg
}

func TestMySQLConformance(t *testing.T) {
	newMySQLDatabase(t) // skip early without a server
	anchortest.Run(t, func(t *testing.T) anchor.Ledger {
		return openTestLog(t, mysqlConfig(t, newMySQLDatabase(t), t.TempDir()))
	})
}

// TestMySQLAudit: a log on MySQL, served by Log.Handler, passes the
// outsider's audit (checkpoint signature, every entry, inclusion,
// consistency) and its receipts verify from its verifier key alone.
func TestMySQLAudit(t *testing.T) {
	l := openTestLog(t, mysqlConfig(t, newMySQLDatabase(t), t.TempDir()))
	testAudit(t, l, httptest.NewServer(l.Handler()).URL)
}

// testAudit anchors in two rounds (more than one entry bundle), auditing
// the log at base as an outsider after each.
func testAudit(t *testing.T, l *tlog.Log, base string) {
	t.Helper()
	v, err := tlog.NewVerifierFromKey(l.VerifierKey())
	if err != nil {
		t.Fatalf("NewVerifierFromKey(%q): %v", l.VerifierKey(), err)
	}
	fetch := httpFetcher(base)
	var prev *auditedTree
	for round, n := range []int{40, 260} {
		names := seeds(fmt.Sprintf("audit%d", round), n)
		rs := anchorConcurrently(t, l, names)
		if t.Failed() {
			t.FailNow()
		}
		last, err := l.WaitFinal(t.Context(), rs[len(rs)-1])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []anchor.Receipt{rs[0], rs[n/2], last} {
			f, err := l.Upgrade(t.Context(), r)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.VerifyReceipt(t.Context(), f); err != nil {
				t.Fatalf("receipt %d under the verifier key: %v", f.Position, err)
			}
			got, err := audit(t.Context(), l.VerifierKey(), fetch, prev, f.Position, f.TxID)
			if err != nil {
				t.Fatalf("round %d: outsider's audit of entry %d: %v", round, f.Position, err)
			}
			if got.Size < f.Position+1 {
				t.Fatalf("audited size %d below entry %d", got.Size, f.Position)
			}
			prev = &got
		}
	}
	// The audit fails for a wrong leaf hash and for a forged history.
	if _, err := audit(t.Context(), l.VerifierKey(), fetch, nil, 3, strings.Repeat("00", 32)); err == nil {
		t.Error("audit accepted a wrong leaf hash")
	}
	forged := *prev
	forged.Root = append([]byte(nil), prev.Root...)
	forged.Root[0] ^= 1
	forged.Size--
	if _, err := audit(t.Context(), l.VerifierKey(), fetch, &forged, 0, ""); err == nil {
		t.Error("audit accepted a tree inconsistent with the one it remembered")
	}
}

// anchorConcurrently anchors the commitments of names from 16 goroutines
// and returns their receipts in the order of names; failures are
// reported with t.Error, for the caller to check t.Failed.
func anchorConcurrently(t *testing.T, l *tlog.Log, names []string) []anchor.Receipt {
	t.Helper()
	rs := make([]anchor.Receipt, len(names))
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(names); i += 16 {
				r, err := l.Anchor(t.Context(), anchortest.Commitment(names[i]))
				if err != nil {
					t.Error(err)
					return
				}
				rs[i] = r
			}
		}()
	}
	wg.Wait()
	return rs
}

// TestMySQLRebuildIndex: the root index is per-node state derived from
// the log: a node with a new, empty Dir rebuilds it from the entries in
// MySQL, and every receipt is found Final at its position.
func TestMySQLRebuildIndex(t *testing.T) {
	dsn := newMySQLDatabase(t)
	l, err := tlog.Open(t.Context(), mysqlConfig(t, dsn, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	rs := anchorConcurrently(t, l, seeds("rebuild", 300))
	if t.Failed() {
		t.FailNow()
	}
	if _, err := l.WaitFinal(t.Context(), rs[len(rs)-1]); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	fresh := openTestLog(t, mysqlConfig(t, dsn, t.TempDir()))
	for _, r := range rs {
		got, err := fresh.Lookup(t.Context(), r.Root())
		if err != nil || got.Position != r.Position || got.State != anchor.Final {
			t.Fatalf("%s: at %d (%v), %v; anchored at %d", r.Root(), got.Position, got.State, err, r.Position)
		}
		if _, err := fresh.Upgrade(t.Context(), r); err != nil {
			t.Fatalf("Upgrade on a rebuilt index: %v", err)
		}
	}
	again, err := fresh.Anchor(t.Context(), rs[7].Commitment)
	if err != nil || again.Position != rs[7].Position {
		t.Fatalf("re-anchoring after rebuild: %d, %v; want %d", again.Position, err, rs[7].Position)
	}
}

// TestMySQLTwoNodes: two nodes, each with its own root index, append to
// one log in one database. Each finds the other's entries once a
// checkpoint covers them; a commitment both anchor at once may be
// written twice, and both receipts stay valid.
func TestMySQLTwoNodes(t *testing.T) {
	dsn := newMySQLDatabase(t)
	a := openTestLog(t, mysqlConfig(t, dsn, t.TempDir()))
	b := openTestLog(t, mysqlConfig(t, dsn, t.TempDir()))
	ra := anchorConcurrently(t, a, seeds("node-a", 30))
	rb := anchorConcurrently(t, b, seeds("node-b", 30))
	// The same commitments on both nodes at once.
	both := seeds("both", 8)
	var fromA, fromB []anchor.Receipt
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); fromA = anchorConcurrently(t, a, both) }()
	go func() { defer wg.Done(); fromB = anchorConcurrently(t, b, both) }()
	wg.Wait()
	if t.Failed() {
		return
	}
	all := append(append(append(append([]anchor.Receipt{}, ra...), rb...), fromA...), fromB...)
	last := all[0]
	for _, r := range all {
		if r.Position > last.Position {
			last = r
		}
	}
	for _, l := range []*tlog.Log{a, b} {
		waitCheckpointSize(t, l, last.Position+1)
	}
	for name, l := range map[string]*tlog.Log{"a": a, "b": b} {
		for _, r := range all {
			f, err := l.Upgrade(t.Context(), r)
			if err != nil {
				t.Fatalf("node %s: Upgrade of %s at %d: %v", name, r.Root(), r.Position, err)
			}
			if f.State != anchor.Final || f.Position != r.Position {
				t.Fatalf("node %s: %s upgraded to %v at %d, want final at %d", name, r.Root(), f.State, f.Position, r.Position)
			}
			if err := l.VerifyReceipt(t.Context(), f); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range append(ra, rb...) {
			got, err := l.Lookup(t.Context(), r.Root())
			if err != nil || got.Position != r.Position {
				t.Fatalf("node %s: Lookup %s: %d, %v; want %d", name, r.Root(), got.Position, err, r.Position)
			}
		}
	}
	if a.Checkpoint().Size > uint64(30+30+2*len(both)) {
		t.Fatalf("log of %d entries for %d commitments", a.Checkpoint().Size, 60+len(both))
	}
	dups := 0
	for i := range both {
		if fromA[i].Position != fromB[i].Position {
			dups++
		}
	}
	t.Logf("%d of %d commitments anchored on both nodes at once were written twice", dups, len(both))
	// A receipt naming a position that holds another entry is refused.
	bad := ra[0]
	bad.Position = rb[0].Position
	if _, err := b.Upgrade(t.Context(), bad); !errors.Is(err, anchor.ErrBadReceipt) {
		t.Errorf("receipt with another entry's position: %v", err)
	}

	// One root, two different commitments, one on each node at once:
	// both are written; both receipts stay valid, Lookup answers with the
	// first, and anchoring the second again is a root conflict.
	c1 := anchortest.Commitment("conflict")
	c2 := c1
	c2.Count++
	var r1, r2 anchor.Receipt
	var e1, e2 error
	wg.Add(2)
	go func() { defer wg.Done(); r1, e1 = a.Anchor(t.Context(), c1) }()
	go func() { defer wg.Done(); r2, e2 = b.Anchor(t.Context(), c2) }()
	wg.Wait()
	if e1 != nil || e2 != nil {
		if !errors.Is(e1, anchor.ErrRootConflict) && !errors.Is(e2, anchor.ErrRootConflict) {
			t.Fatalf("conflicting anchors: %v, %v", e1, e2)
		}
		t.Logf("the conflict was caught at once: %v, %v", e1, e2)
		return
	}
	first, second := r1, r2
	if second.Position < first.Position {
		first, second = second, first
	}
	for _, l := range []*tlog.Log{a, b} {
		waitCheckpointSize(t, l, second.Position+1)
		for _, r := range []anchor.Receipt{r1, r2} {
			f, err := l.Upgrade(t.Context(), r)
			if err != nil || f.Position != r.Position || !f.Commitment.Equal(r.Commitment) {
				t.Fatalf("Upgrade of a conflicting receipt at %d: %d, %v", r.Position, f.Position, err)
			}
			if err := l.VerifyReceipt(t.Context(), f); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := l.Lookup(t.Context(), c1.Root); err != nil || got.Position != first.Position {
			t.Fatalf("Lookup of the conflicting root: %d, %v; want the first, %d", got.Position, err, first.Position)
		}
		if _, err := l.Anchor(t.Context(), second.Commitment); !errors.Is(err, anchor.ErrRootConflict) {
			t.Fatalf("anchoring the second commitment again: %v, want ErrRootConflict", err)
		}
	}
}

// waitCheckpointSize waits until l has verified a checkpoint of at least n.
func waitCheckpointSize(t *testing.T, l *tlog.Log, n uint64) {
	t.Helper()
	deadline := time.Now().Add(anchortest.Timeout)
	for l.Checkpoint().Size < n {
		if time.Now().After(deadline) {
			t.Fatalf("checkpoint of size %d, waited for %d", l.Checkpoint().Size, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
