package rdfc

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

var ctx = context.Background()

const (
	pName  = "https://schema.org/name"
	pKnows = "http://xmlns.com/foaf/0.1/knows"
	xsdInt = "http://www.w3.org/2001/XMLSchema#integer"
)

func iri(s string) Term   { return Term{Kind: IRI, Value: s} }
func bnode(s string) Term { return Term{Kind: BlankNode, Value: s} }
func lit(s string) Term   { return Term{Kind: Literal, Value: s} }

// viaJSONGold canonicalizes quads with json-gold's URDNA2015, an
// independent implementation of the same algorithm.
func viaJSONGold(t testing.TB, quads []Quad) string {
	t.Helper()
	node := func(x Term) ld.Node {
		switch x.Kind {
		case IRI:
			return ld.NewIRI(x.Value)
		case BlankNode:
			return ld.NewBlankNode("_:" + x.Value)
		case Literal:
			dt := x.Datatype
			switch {
			case x.Language != "":
				dt = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
			case dt == "":
				dt = XSDString
			}
			return ld.NewLiteral(x.Value, dt, x.Language)
		}
		return nil
	}
	ds := ld.NewRDFDataset()
	for _, q := range quads {
		g := "@default"
		switch q.Graph.Kind {
		case IRI:
			g = q.Graph.Value
		case BlankNode:
			g = "_:" + q.Graph.Value
		}
		ds.Graphs[g] = append(ds.Graphs[g], ld.NewQuad(node(q.Subject), node(q.Predicate), node(q.Object), ""))
	}
	opts := ld.NewJsonLdOptions("")
	opts.Format = "application/n-quads"
	out, err := ld.NewNormalisationAlgorithm(ld.AlgorithmURDNA2015).Main(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out.(string)
}

// randomGraph builds a small dataset whose blank nodes often share
// first-degree hashes (few predicates, few literals), the case that
// exercises Hash N-Degree Quads. No quad names one blank node twice:
// there json-gold departs from RDFC-1.0 and from the W3C reference
// implementation (rdf-canonize), listing such a quad twice for that blank
// node where the algorithm keeps a set; the W3C vectors (test018, test019)
// hold this package to the specification there.
func randomGraph(r *rand.Rand) []Quad {
	nb := 1 + r.IntN(6)
	nq := 1 + r.IntN(14)
	term := func(object bool) Term {
		switch k := r.IntN(6); {
		case k < 4:
			return bnode(fmt.Sprintf("n%d", r.IntN(nb)))
		case k == 4 || !object:
			return iri(fmt.Sprintf("https://example.org/%d", r.IntN(2)))
		default:
			return lit([]string{"a", "b", `q"uote\`}[r.IntN(3)])
		}
	}
	var quads []Quad
	seen := map[string]bool{}
	for range nq {
		q := Quad{Subject: term(false), Predicate: iri([]string{pName, pKnows}[r.IntN(2)]), Object: term(true)}
		if r.IntN(5) == 0 {
			q.Graph = bnode(fmt.Sprintf("n%d", r.IntN(nb)))
		}
		if namesOneBlankNodeTwice(q) {
			continue
		}
		if line := q.nquad(nil); !seen[line] { // json-gold does not deduplicate
			seen[line] = true
			quads = append(quads, q)
		}
	}
	return quads
}

func namesOneBlankNodeTwice(q Quad) bool {
	seen := map[string]bool{}
	for _, t := range []Term{q.Subject, q.Object, q.Graph} {
		if t.Kind == BlankNode {
			if seen[t.Value] {
				return true
			}
			seen[t.Value] = true
		}
	}
	return false
}

func TestMatchesJSONGold(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 400
	if testing.Short() {
		n = 100
	}
	for i := range n {
		quads := randomGraph(r)
		got, err := DefaultLimits().Canonicalize(ctx, quads)
		if err != nil {
			t.Fatalf("graph %d: %v", i, err)
		}
		if want := viaJSONGold(t, quads); string(got) != want {
			t.Fatalf("graph %d differs from json-gold\n got:\n%s\nwant:\n%s", i, got, want)
		}
	}
}

// clique returns n blank nodes, each linked to every other one by the same
// predicate: all first-degree hashes are equal, and telling the nodes
// apart takes on the order of n! permutations at every recursion level.
func clique(n int) []Quad {
	var quads []Quad
	for i := range n {
		for j := range n {
			if i != j {
				quads = append(quads, Quad{Subject: bnode(fmt.Sprint("c", i)), Predicate: iri(pKnows), Object: bnode(fmt.Sprint("c", j))})
			}
		}
	}
	return quads
}

func TestPoisonGraphRefused(t *testing.T) {
	// A small clique is canonicalized, and canonicalized right.
	small := clique(4)
	got, err := DefaultLimits().Canonicalize(ctx, small)
	if err != nil {
		t.Fatal(err)
	}
	if want := viaJSONGold(t, small); string(got) != want {
		t.Fatalf("4-clique differs from json-gold\n got:\n%s\nwant:\n%s", got, want)
	}
	// An 8-clique keeps json-gold busy for seconds; here the budget runs
	// out and the typed error comes back instead.
	for _, n := range []int{5, 8, 12, 16} {
		if _, err := DefaultLimits().Canonicalize(ctx, clique(n)); !errors.Is(err, ErrTooComplex) {
			t.Fatalf("%d-clique: err = %v, want ErrTooComplex", n, err)
		}
	}
}

func TestWorkIsCounted(t *testing.T) {
	// The same 5-clique passes with a budget that covers it and fails with
	// one unit less: the budget is exact, not a timer.
	q := clique(5)
	s := DefaultLimits()
	s.MaxWork = 1 << 30
	st := &state{ctx: ctx, limit: s.MaxWork, quads: q, byNode: map[string][]int{}, firstHash: map[string]string{}, canonical: newIssuer("_:c14n")}
	for i, x := range st.quads {
		for _, t := range []Term{x.Subject, x.Object} {
			if l := st.byNode[t.Value]; len(l) == 0 || l[len(l)-1] != i {
				st.byNode[t.Value] = append(st.byNode[t.Value], i)
			}
		}
	}
	if err := st.issueIdentifiers(); err != nil {
		t.Fatal(err)
	}
	need := st.work
	if need == 0 {
		t.Fatal("a clique needs N-degree hashing")
	}
	s.MaxWork = need
	if _, err := s.Canonicalize(ctx, q); err != nil {
		t.Fatalf("budget %d: %v", need, err)
	}
	s.MaxWork = need - 1
	if _, err := s.Canonicalize(ctx, q); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("budget %d: err = %v, want ErrTooComplex", need-1, err)
	}
}

func TestSizeLimits(t *testing.T) {
	l := DefaultLimits()
	l.MaxQuads = 3
	if _, err := l.Canonicalize(ctx, clique(3)[:4]); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("quads: %v", err)
	}
	l = DefaultLimits()
	l.MaxBlankNodes = 2
	if _, err := l.Canonicalize(ctx, clique(3)); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("blank nodes: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	c, cancel := context.WithCancel(ctx)
	cancel()
	l := DefaultLimits()
	l.MaxWork = 1 << 30
	if _, err := l.Canonicalize(c, clique(9)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestInvalidTerms(t *testing.T) {
	s, p := iri("https://example.org/s"), iri(pName)
	for name, q := range map[string]Quad{
		"relative subject":     {Subject: iri("s"), Predicate: p, Object: lit("x")},
		"IRI with space":       {Subject: iri("https://example.org/a b"), Predicate: p, Object: lit("x")},
		"IRI with >":           {Subject: s, Predicate: iri("https://example.org/>"), Object: lit("x")},
		"bad scheme":           {Subject: iri("1http://x"), Predicate: p, Object: lit("x")},
		"literal subject":      {Subject: lit("x"), Predicate: p, Object: lit("x")},
		"blank predicate":      {Subject: s, Predicate: bnode("p"), Object: lit("x")},
		"literal graph":        {Subject: s, Predicate: p, Object: lit("x"), Graph: lit("g")},
		"empty blank label":    {Subject: bnode(""), Predicate: p, Object: lit("x")},
		"newline in literal":   {Subject: s, Predicate: p, Object: lit("a\nb")},
		"DEL in literal":       {Subject: s, Predicate: p, Object: lit("a\x7fb")},
		"invalid UTF-8":        {Subject: s, Predicate: p, Object: lit("a\xffb")},
		"bad language tag":     {Subject: s, Predicate: p, Object: Term{Kind: Literal, Value: "x", Language: "en_GB"}},
		"relative datatype":    {Subject: s, Predicate: p, Object: Term{Kind: Literal, Value: "1", Datatype: "integer"}},
		"default graph object": {Subject: s, Predicate: p, Object: Term{}},
	} {
		if _, err := DefaultLimits().Canonicalize(ctx, []Quad{q}); !errors.Is(err, ErrInvalidTerm) {
			t.Errorf("%s: err = %v, want ErrInvalidTerm", name, err)
		}
	}
}

func TestSerialization(t *testing.T) {
	quads := []Quad{
		{Subject: iri("https://example.org/s"), Predicate: iri(pName), Object: Term{Kind: Literal, Value: "42", Datatype: xsdInt}},
		{Subject: iri("https://example.org/s"), Predicate: iri(pName), Object: Term{Kind: Literal, Value: "hallo", Language: "de"}},
		{Subject: iri("https://example.org/s"), Predicate: iri(pName), Object: Term{Kind: Literal, Value: `a"b\c`, Datatype: XSDString}},
		{Subject: bnode("x"), Predicate: iri(pKnows), Object: iri("https://example.org/s"), Graph: iri("https://example.org/g")},
		{Subject: bnode("x"), Predicate: iri(pKnows), Object: iri("https://example.org/s"), Graph: iri("https://example.org/g")}, // duplicate
	}
	got, err := DefaultLimits().Canonicalize(ctx, quads)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`<https://example.org/s> <https://schema.org/name> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .`,
		`<https://example.org/s> <https://schema.org/name> "a\"b\\c" .`,
		`<https://example.org/s> <https://schema.org/name> "hallo"@de .`,
		`_:c14n0 <http://xmlns.com/foaf/0.1/knows> <https://example.org/s> <https://example.org/g> .`,
	}, "\n") + "\n"
	if string(got) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if want := viaJSONGold(t, quads[:4]); string(got) != want {
		t.Fatalf("differs from json-gold:\n%s", want)
	}
}

// FuzzMatchesJSONGold derives a small dataset from the input and checks
// the output against json-gold; no input may exceed the work budget
// unnoticed (ErrTooComplex is the only acceptable failure).
func FuzzMatchesJSONGold(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(7), uint64(99))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		quads := randomGraph(rand.New(rand.NewPCG(a, b)))
		got, err := DefaultLimits().Canonicalize(ctx, quads)
		if errors.Is(err, ErrTooComplex) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if hasBlankGraphName(quads) {
			return // json-gold departs from RDFC-1.0 there: see TestBlankGraphNameReference
		}
		if want := viaJSONGold(t, quads); string(got) != want {
			t.Fatalf("differs from json-gold\n got:\n%s\nwant:\n%s", got, want)
		}
	})
}

func hasBlankGraphName(quads []Quad) bool {
	for _, q := range quads {
		if q.Graph.Kind == BlankNode {
			return true
		}
	}
	return false
}

// TestBlankGraphNameReference: a graph where blank nodes name graphs and
// are subjects in each other's graphs (found by FuzzMatchesJSONGold, seeds
// 338 and 53). json-gold labels the two object nodes the other way round;
// the W3C reference implementation (npm rdf-canonize 4.0.1, RDFC-1.0 with
// maxDeepIterations raised) gives exactly the output below, and so does
// this package.
func TestBlankGraphNameReference(t *testing.T) {
	quads := randomGraph(rand.New(rand.NewPCG(338, 53)))
	got, err := DefaultLimits().Canonicalize(ctx, quads)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`<https://example.org/0> <http://xmlns.com/foaf/0.1/knows> "a" .`,
		`<https://example.org/0> <http://xmlns.com/foaf/0.1/knows> <https://example.org/0> .`,
		`<https://example.org/0> <http://xmlns.com/foaf/0.1/knows> _:c14n1 .`,
		`<https://example.org/1> <http://xmlns.com/foaf/0.1/knows> <https://example.org/1> .`,
		`_:c14n0 <http://xmlns.com/foaf/0.1/knows> _:c14n2 .`,
		`_:c14n4 <https://schema.org/name> _:c14n3 _:c14n5 .`,
		`_:c14n5 <https://schema.org/name> _:c14n2 _:c14n4 .`,
	}, "\n") + "\n"
	if string(got) != want {
		t.Fatalf("got:\n%s\nwant (rdf-canonize):\n%s", got, want)
	}
	if viaJSONGold(t, quads) == want {
		t.Log("json-gold now agrees with the reference here: the fuzz target may compare such graphs again")
	}
}

func BenchmarkPoisonGraph(b *testing.B) {
	q := clique(8)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DefaultLimits().Canonicalize(ctx, q); !errors.Is(err, ErrTooComplex) {
			b.Fatal(err)
		}
	}
}

func BenchmarkSmallClique(b *testing.B) {
	q := clique(4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DefaultLimits().Canonicalize(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
