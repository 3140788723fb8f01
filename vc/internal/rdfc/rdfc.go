package rdfc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Errors.
var (
	// ErrTooComplex: the dataset has more quads or blank nodes than the
	// limits allow, or telling its blank nodes apart needs more work than
	// the budget (RDFC-1.0 §4.4's guard against poison graphs).
	ErrTooComplex = errors.New("rdfc: dataset too complex to canonicalize")
	// ErrInvalidTerm: a term cannot be written as canonical N-Quads (a
	// relative or malformed IRI, a malformed language tag, a literal with
	// control characters, an empty blank node label).
	ErrInvalidTerm = errors.New("rdfc: invalid RDF term")
)

// Kind is the kind of an RDF term.
type Kind uint8

// Term kinds. The zero Kind is the default graph, valid only as a quad's
// graph name.
const (
	DefaultGraph Kind = iota
	IRI
	BlankNode
	Literal
)

// XSDString is the datatype of a plain literal; it is not written out.
const XSDString = "http://www.w3.org/2001/XMLSchema#string"

// Term is an RDF term: an IRI, a blank node (Value is its label, without
// "_:"), or a literal (Value is its lexical form, Datatype an IRI — empty
// means xsd:string — and Language a tag or empty).
type Term struct {
	Kind     Kind
	Value    string
	Datatype string
	Language string
}

// Quad is one statement of a dataset; Graph has Kind DefaultGraph for the
// default graph.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}

// Limits bound the work of Canonicalize.
type Limits struct {
	// MaxQuads is the largest dataset accepted.
	MaxQuads int
	// MaxBlankNodes is the most distinct blank nodes accepted.
	MaxBlankNodes int
	// MaxWork is the budget of the Hash N-Degree Quads phase: each call
	// costs one unit plus one per quad that mentions its blank node, each
	// permutation tried one unit plus one per blank node in it.
	MaxWork int
}

// DefaultLimits are set far above what a device credential needs — it has
// a few dozen quads and a handful of blank nodes that each have a distinct
// first-degree hash, so it spends no work at all — and far below what makes
// canonicalization slow. The work budget admits every W3C RDFC-1.0 test
// vector of low and medium complexity (the costliest needs 117 units) and
// cliques of up to four look-alike blank nodes; it refuses the suite's
// clique poison graph and its three high-complexity poison graphs (9,516
// units each).
func DefaultLimits() Limits {
	return Limits{MaxQuads: 4096, MaxBlankNodes: 256, MaxWork: 4000}
}

// Canonicalize returns the canonical N-Quads of the dataset quads
// (duplicates count once) under RDFC-1.0 with SHA-256: blank nodes
// relabelled _:c14n0, _:c14n1, ..., one line per quad, lines sorted in code
// point order. It fails with ErrTooComplex past l, with ErrInvalidTerm for
// a term it cannot write, and with ctx's error when ctx is done.
func (l Limits) Canonicalize(ctx context.Context, quads []Quad) ([]byte, error) {
	if len(quads) > l.MaxQuads {
		return nil, fmt.Errorf("%w: %d quads, limit %d", ErrTooComplex, len(quads), l.MaxQuads)
	}
	s := &state{
		ctx:       ctx,
		limit:     l.MaxWork,
		quads:     make([]Quad, 0, len(quads)),
		byNode:    map[string][]int{},
		firstHash: map[string]string{},
		canonical: newIssuer("_:c14n"),
	}
	seen := make(map[string]bool, len(quads))
	for _, q := range quads {
		if err := q.check(); err != nil {
			return nil, err
		}
		line := q.nquad(nil)
		if seen[line] {
			continue
		}
		seen[line] = true
		s.quads = append(s.quads, q)
	}
	for i, q := range s.quads {
		for _, t := range []Term{q.Subject, q.Object, q.Graph} {
			if t.Kind == BlankNode && (len(s.byNode[t.Value]) == 0 || s.byNode[t.Value][len(s.byNode[t.Value])-1] != i) {
				s.byNode[t.Value] = append(s.byNode[t.Value], i)
			}
		}
	}
	if len(s.byNode) > l.MaxBlankNodes {
		return nil, fmt.Errorf("%w: %d blank nodes, limit %d", ErrTooComplex, len(s.byNode), l.MaxBlankNodes)
	}
	if err := s.issueIdentifiers(); err != nil {
		return nil, err
	}
	lines := make([]string, len(s.quads))
	for i, q := range s.quads {
		lines[i] = q.nquad(func(label string) string { return s.canonical.id(label) })
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "")), nil
}

// state is one run of the canonicalization algorithm.
type state struct {
	ctx       context.Context
	limit     int
	work      int
	unchecked int // work since ctx was last asked
	quads     []Quad
	byNode    map[string][]int  // blank node label → indexes of quads mentioning it
	firstHash map[string]string // memoized Hash First Degree Quads
	canonical *issuer
}

// spend charges n units of work against the budget.
func (s *state) spend(n int) error {
	s.work += n
	if s.work > s.limit {
		return fmt.Errorf("%w: blank nodes need more than %d units of work to tell apart", ErrTooComplex, s.limit)
	}
	if s.unchecked += n; s.unchecked >= 256 {
		s.unchecked = 0
		return s.ctx.Err()
	}
	return nil
}

// issueIdentifiers runs RDFC-1.0 §4.4.3 steps 3 to 5: canonical labels for
// blank nodes with a unique first-degree hash, then for the others through
// Hash N-Degree Quads, group by group in hash order.
func (s *state) issueIdentifiers() error {
	labels := make([]string, 0, len(s.byNode))
	for label := range s.byNode {
		labels = append(labels, label)
	}
	slices.Sort(labels)
	byHash := map[string][]string{}
	for _, label := range labels {
		h := s.hashFirstDegree(label)
		byHash[h] = append(byHash[h], label)
	}
	hashes := make([]string, 0, len(byHash))
	for h := range byHash {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	for _, h := range hashes {
		if len(byHash[h]) == 1 {
			s.canonical.id(byHash[h][0])
		}
	}
	for _, h := range hashes {
		group := byHash[h]
		if len(group) == 1 {
			continue
		}
		type result struct {
			hash   string
			issuer *issuer
		}
		var results []result
		for _, label := range group {
			if s.canonical.has(label) {
				continue
			}
			tmp := newIssuer("_:b")
			tmp.id(label)
			hash, is, err := s.hashNDegree(label, tmp)
			if err != nil {
				return err
			}
			results = append(results, result{hash, is})
		}
		slices.SortStableFunc(results, func(a, b result) int { return strings.Compare(a.hash, b.hash) })
		for _, r := range results {
			for _, label := range r.issuer.order {
				s.canonical.id(label)
			}
		}
	}
	return nil
}

// hashFirstDegree is RDFC-1.0's Hash First Degree Quads: the quads that
// mention label, written with label as _:a and every other blank node as
// _:z, sorted, hashed.
func (s *state) hashFirstDegree(label string) string {
	if h, ok := s.firstHash[label]; ok {
		return h
	}
	idx := s.byNode[label]
	lines := make([]string, len(idx))
	for i, qi := range idx {
		lines[i] = s.quads[qi].nquad(func(l string) string {
			if l == label {
				return "_:a"
			}
			return "_:z"
		})
	}
	slices.Sort(lines)
	sum := sha256.New()
	for _, line := range lines {
		sum.Write([]byte(line))
	}
	h := hex.EncodeToString(sum.Sum(nil))
	s.firstHash[label] = h
	return h
}

// hashRelated is RDFC-1.0's Hash Related Blank Node.
func (s *state) hashRelated(related string, q *Quad, is *issuer, position byte) string {
	var b strings.Builder
	b.WriteByte(position)
	if position != 'g' {
		b.WriteByte('<')
		b.WriteString(q.Predicate.Value)
		b.WriteByte('>')
	}
	switch {
	case s.canonical.has(related):
		b.WriteString(s.canonical.id(related))
	case is.has(related):
		b.WriteString(is.id(related))
	default:
		b.WriteString(s.hashFirstDegree(related))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// hashNDegree is RDFC-1.0's Hash N-Degree Quads, charged against the work
// budget.
func (s *state) hashNDegree(label string, is *issuer) (string, *issuer, error) {
	idx := s.byNode[label]
	if err := s.spend(1 + len(idx)); err != nil {
		return "", nil, err
	}
	related := map[string][]string{}
	for _, qi := range idx {
		q := &s.quads[qi]
		for i, t := range []Term{q.Subject, q.Object, q.Graph} {
			if t.Kind == BlankNode && t.Value != label {
				h := s.hashRelated(t.Value, q, is, "sog"[i])
				related[h] = append(related[h], t.Value)
			}
		}
	}
	hashes := make([]string, 0, len(related))
	for h := range related {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	data := sha256.New()
	for _, h := range hashes {
		data.Write([]byte(h))
		var chosenPath string
		var chosen *issuer
		perm := slices.Clone(related[h])
		slices.Sort(perm)
		for more := true; more; more = nextPermutation(perm) {
			if err := s.spend(1 + len(perm)); err != nil {
				return "", nil, err
			}
			path, copyIs, ok, err := s.tryPermutation(perm, is, chosenPath)
			if err != nil {
				return "", nil, err
			}
			if ok && (chosen == nil || path < chosenPath) {
				chosenPath, chosen = path, copyIs
			}
		}
		data.Write([]byte(chosenPath))
		is = chosen
	}
	return hex.EncodeToString(data.Sum(nil)), is, nil
}

// tryPermutation builds the path of one permutation of related blank nodes
// (RDFC-1.0 §4.8.3 step 5.4). It reports ok=false as soon as the path
// cannot beat chosenPath.
func (s *state) tryPermutation(perm []string, is *issuer, chosenPath string) (string, *issuer, bool, error) {
	c := is.clone()
	var path strings.Builder
	worse := func() bool {
		p := path.String()
		return chosenPath != "" && len(p) >= len(chosenPath) && p > chosenPath
	}
	var recurse []string
	for _, r := range perm {
		if s.canonical.has(r) {
			path.WriteString(s.canonical.id(r))
		} else {
			if !c.has(r) {
				recurse = append(recurse, r)
			}
			path.WriteString(c.id(r))
		}
		if worse() {
			return "", nil, false, nil
		}
	}
	for _, r := range recurse {
		hash, next, err := s.hashNDegree(r, c)
		if err != nil {
			return "", nil, false, err
		}
		c = next
		path.WriteString(c.id(r))
		path.WriteByte('<')
		path.WriteString(hash)
		path.WriteByte('>')
		if worse() {
			return "", nil, false, nil
		}
	}
	return path.String(), c, true, nil
}

// nextPermutation rearranges p into the next permutation in lexicographic
// order and reports whether there was one. Equal elements yield each
// distinct arrangement once, which gives the same chosen path: arrangements
// that are equal as sequences build equal paths.
func nextPermutation(p []string) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}

// issuer is RDFC-1.0's identifier issuer: it hands out prefix0, prefix1,
// ... in order and remembers the order.
type issuer struct {
	prefix string
	ids    map[string]string
	order  []string
}

func newIssuer(prefix string) *issuer {
	return &issuer{prefix: prefix, ids: map[string]string{}}
}

func (is *issuer) has(label string) bool { _, ok := is.ids[label]; return ok }

func (is *issuer) id(label string) string {
	if id, ok := is.ids[label]; ok {
		return id
	}
	id := is.prefix + strconv.Itoa(len(is.order))
	is.ids[label] = id
	is.order = append(is.order, label)
	return id
}

func (is *issuer) clone() *issuer {
	c := &issuer{prefix: is.prefix, ids: make(map[string]string, len(is.ids)+4), order: slices.Clone(is.order)}
	for k, v := range is.ids {
		c.ids[k] = v
	}
	return c
}

// check reports whether q can be written as canonical N-Quads.
func (q *Quad) check() error {
	switch q.Subject.Kind {
	case IRI, BlankNode:
	default:
		return fmt.Errorf("%w: subject of kind %d", ErrInvalidTerm, q.Subject.Kind)
	}
	if q.Predicate.Kind != IRI {
		return fmt.Errorf("%w: predicate is not an IRI", ErrInvalidTerm)
	}
	switch q.Object.Kind {
	case IRI, BlankNode, Literal:
	default:
		return fmt.Errorf("%w: object of kind %d", ErrInvalidTerm, q.Object.Kind)
	}
	switch q.Graph.Kind {
	case DefaultGraph, IRI, BlankNode:
	default:
		return fmt.Errorf("%w: graph name of kind %d", ErrInvalidTerm, q.Graph.Kind)
	}
	for _, t := range []Term{q.Subject, q.Predicate, q.Object, q.Graph} {
		if err := t.check(); err != nil {
			return err
		}
	}
	return nil
}

func (t Term) check() error {
	switch t.Kind {
	case IRI:
		return checkIRI(t.Value)
	case BlankNode:
		if t.Value == "" {
			return fmt.Errorf("%w: empty blank node label", ErrInvalidTerm)
		}
	case Literal:
		if !utf8.ValidString(t.Value) || strings.ContainsFunc(t.Value, isControl) {
			return fmt.Errorf("%w: literal %q holds control characters or invalid UTF-8", ErrInvalidTerm, truncate(t.Value))
		}
		if t.Datatype != "" {
			if err := checkIRI(t.Datatype); err != nil {
				return err
			}
		}
		if t.Language != "" && !validLanguage(t.Language) {
			return fmt.Errorf("%w: language tag %q", ErrInvalidTerm, truncate(t.Language))
		}
	}
	return nil
}

// isControl reports the characters refused in literals: C0 controls and
// DEL. RDF 1.1 and RDF 1.2 serializers write them differently, so a
// signature over them would not be portable.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// checkIRI accepts an absolute IRI (a scheme, ":" and the rest) holding no
// character that N-Quads' IRIREF forbids.
func checkIRI(s string) error {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !utf8.ValidString(s) {
		return fmt.Errorf("%w: %q is not an absolute IRI", ErrInvalidTerm, truncate(s))
	}
	for i := 0; i < colon; i++ {
		c := s[i]
		alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !alpha && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return fmt.Errorf("%w: %q has no valid scheme", ErrInvalidTerm, truncate(s))
		}
	}
	if strings.ContainsAny(s, "<>\"{}|^`\\ ") || strings.ContainsFunc(s, isControl) {
		return fmt.Errorf("%w: %q holds a character IRIs may not", ErrInvalidTerm, truncate(s))
	}
	return nil
}

// validLanguage accepts BCP 47-shaped tags: letters, then "-" and
// alphanumeric subtags.
func validLanguage(tag string) bool {
	for i, sub := range strings.Split(tag, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for _, c := range []byte(sub) {
			alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			if !alpha && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// nquad writes q as one canonical N-Quads line; relabel maps blank node
// labels (nil keeps them).
func (q *Quad) nquad(relabel func(string) string) string {
	var b strings.Builder
	writeTerm(&b, q.Subject, relabel)
	b.WriteByte(' ')
	writeTerm(&b, q.Predicate, relabel)
	b.WriteByte(' ')
	writeTerm(&b, q.Object, relabel)
	if q.Graph.Kind != DefaultGraph {
		b.WriteByte(' ')
		writeTerm(&b, q.Graph, relabel)
	}
	b.WriteString(" .\n")
	return b.String()
}

func writeTerm(b *strings.Builder, t Term, relabel func(string) string) {
	switch t.Kind {
	case IRI:
		b.WriteByte('<')
		b.WriteString(t.Value)
		b.WriteByte('>')
	case BlankNode:
		if relabel != nil {
			b.WriteString(relabel(t.Value))
		} else {
			b.WriteString("_:")
			b.WriteString(t.Value)
		}
	case Literal:
		b.WriteByte('"')
		for _, r := range t.Value {
			switch r {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
		switch {
		case t.Language != "":
			b.WriteByte('@')
			b.WriteString(t.Language)
		case t.Datatype != "" && t.Datatype != XSDString:
			b.WriteString("^^<")
			b.WriteString(t.Datatype)
			b.WriteByte('>')
		}
	}
}

func truncate(s string) string {
	if len(s) <= 64 {
		return s
	}
	return s[:64] + "…"
}
