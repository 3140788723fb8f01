package eddsardfc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/vc/internal/rdfc"
)

// Limits on the JSON-LD document before any JSON-LD processing, so that
// expansion (linear in the document, but with context work per node) stays
// small. A device credential holds well under a hundred JSON values.
const (
	maxValues = 2048 // objects, arrays, strings, numbers, booleans
	maxDepth  = 32
)

// Canonicalize returns the RDFC-1.0 canonical N-Quads of the JSON-LD
// document doc, refusing any document whose JSON would say more than its
// RDF — and so more than a signature over the RDF covers:
//
//   - before expansion: no null values, no raw keywords ("@id", "@graph",
//     ...) or keyword-shaped members ("@foo"), no "_:" or empty members,
//     no @context below the top level, integers only (within ±2^53), no
//     control characters in strings;
//   - expansion runs in json-gold's safe mode (a member the contexts do
//     not define is an error, not a silent drop);
//   - the expanded document may hold only absolute IRIs as node
//     identifiers, types, properties and datatypes, and only plain value
//     objects and JSON literals;
//   - every statement the expanded document makes must reach the RDF
//     dataset: a count that differs means something was dropped or merged.
//
// The first and third checks fail with ErrUndefinedTerm when the data would
// be dropped and ErrCanonicalize when it uses JSON-LD this suite does not
// sign; the canonicalization itself is bounded (rdfc.ErrTooComplex).
func Canonicalize(ctx context.Context, doc map[string]any, loader ld.DocumentLoader) ([]byte, error) {
	if loader == nil {
		return nil, fmt.Errorf("%w: no document loader", ErrCanonicalize)
	}
	n := 0
	if err := checkInput(doc, "", 0, &n); err != nil {
		return nil, err
	}
	opts := ld.NewJsonLdOptions("")
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.DocumentLoader = loader
	opts.SafeMode = true
	var expanded []any
	err := guard("expansion", func() (err error) {
		expanded, err = ld.NewJsonLdProcessor().Expand(doc, opts)
		return err
	})
	if errors.Is(err, ErrCanonicalize) { // a panic in json-gold
		return nil, err
	}
	if err != nil {
		var le *ld.JsonLdError
		if errors.As(err, &le) && le.Code == ld.InvalidProperty {
			return nil, fmt.Errorf("%w: a member is not defined by the document's contexts", ErrUndefinedTerm)
		}
		return nil, fmt.Errorf("%w: %w", ErrCanonicalize, err)
	}
	want := 0
	for _, node := range expanded {
		c, err := countStatements(node, "")
		if err != nil {
			return nil, err
		}
		want += c
	}
	var ds *ld.RDFDataset
	err = guard("conversion to RDF", func() (err error) {
		ds, err = ld.NewJsonLdApi().ToRDF(expanded, opts)
		return err
	})
	if errors.Is(err, ErrCanonicalize) { // a panic in json-gold
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCanonicalize, err)
	}
	quads, err := convert(ds)
	if err != nil {
		return nil, err
	}
	if len(quads) != want {
		return nil, fmt.Errorf("%w: the document states %d statements, its RDF holds %d", ErrUndefinedTerm, want, len(quads))
	}
	out, err := rdfc.DefaultLimits().Canonicalize(ctx, quads)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCanonicalize, err)
	}
	return out, nil
}

// checkInput applies the rules on the JSON document itself.
func checkInput(v any, path string, depth int, n *int) error {
	if *n++; *n > maxValues || depth > maxDepth {
		return fmt.Errorf("%w: document beyond %d values or %d levels", rdfc.ErrTooComplex, maxValues, maxDepth)
	}
	switch t := v.(type) {
	case nil:
		return fmt.Errorf("%w: null at %q (JSON-LD drops it)", ErrUndefinedTerm, path)
	case string:
		if strings.ContainsFunc(t, isControl) {
			return fmt.Errorf("%w: control character in the string at %q", ErrCanonicalize, path)
		}
	case float64:
		if t != math.Trunc(t) || math.Abs(t) > canon.MaxSafeInteger {
			return fmt.Errorf("%w: number %v at %q is not an integer within ±2^53", ErrCanonicalize, t, path)
		}
	case bool:
	case []any:
		for i, e := range t {
			if err := checkInput(e, fmt.Sprintf("%s/%d", path, i), depth+1, n); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range t {
			p := path + "/" + k
			switch {
			case k == "":
				return fmt.Errorf("%w: empty member name at %q (not a JSON-LD term)", ErrUndefinedTerm, path)
			case strings.ContainsFunc(k, isControl):
				return fmt.Errorf("%w: control character in a member name at %q", ErrCanonicalize, path)
			case k == "@context":
				if depth != 0 {
					return fmt.Errorf("%w: @context at %q: only the document's own @context is accepted", ErrCanonicalize, p)
				}
				continue // the contexts are the loader's, checked by the caller
			case ld.IsKeyword(k):
				return fmt.Errorf("%w: raw keyword at %q: use the context's terms", ErrCanonicalize, p)
			case strings.HasPrefix(k, "@"):
				return fmt.Errorf("%w: keyword-shaped member %q (JSON-LD ignores it)", ErrUndefinedTerm, p)
			case strings.HasPrefix(k, "_:"):
				return fmt.Errorf("%w: blank node property %q (RDF drops it)", ErrUndefinedTerm, p)
			}
			if err := checkInput(e, p, depth+1, n); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: %T at %q is not a JSON value", ErrCanonicalize, v, path)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// guard runs f, a call into json-gold, and returns a panic in it as an
// error wrapping ErrCanonicalize. json-gold mishandles some documents by
// panicking (a member with an empty name made it take a number for a
// string); checkInput refuses the ones known, and no other may crash a
// verifier either.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: JSON-LD %s failed on this document: %v", ErrCanonicalize, what, r)
		}
	}()
	return f()
}

// absolute reports an absolute IRI (scheme ":" ...) or a blank node label.
func absolute(s string, blankOK bool) bool {
	if strings.HasPrefix(s, "_:") {
		return blankOK && len(s) > 2
	}
	colon := strings.IndexByte(s, ':')
	if colon < 1 {
		return false
	}
	for i := 0; i < colon; i++ {
		c := s[i]
		alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !alpha && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// countStatements checks an expanded node object and returns how many RDF
// statements it and the nodes embedded in it make.
func countStatements(v any, path string) (int, error) {
	node, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Errorf("%w: expanded value at %q is not a node", ErrCanonicalize, path)
	}
	n := 0
	for k, val := range node {
		p := path + "/" + k
		switch {
		case k == "@id":
			id, _ := val.(string)
			if !absolute(id, true) {
				return 0, fmt.Errorf("%w: identifier %q at %q is not an absolute IRI (RDF drops the node)", ErrUndefinedTerm, id, path)
			}
		case k == "@type":
			types, _ := val.([]any)
			for _, t := range types {
				s, _ := t.(string)
				if !absolute(s, false) {
					return 0, fmt.Errorf("%w: type %q at %q is not defined by the contexts", ErrUndefinedTerm, s, path)
				}
			}
			n += len(types)
		case strings.HasPrefix(k, "@"):
			return 0, fmt.Errorf("%w: %s at %q", ErrCanonicalize, k, p)
		case !absolute(k, false):
			return 0, fmt.Errorf("%w: property %q is not an absolute IRI", ErrUndefinedTerm, k)
		default:
			values, _ := val.([]any)
			for i, item := range values {
				c, err := countValue(item, fmt.Sprintf("%s/%d", p, i))
				if err != nil {
					return 0, err
				}
				n += 1 + c
			}
		}
	}
	return n, nil
}

// countValue checks one value of a property: a value object (no further
// statements) or a node (its own statements).
func countValue(v any, path string) (int, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Errorf("%w: expanded value at %q", ErrCanonicalize, path)
	}
	val, isValue := m["@value"]
	if !isValue {
		return countStatements(m, path)
	}
	for k := range m {
		if k != "@value" && k != "@type" {
			return 0, fmt.Errorf("%w: %s in the value at %q", ErrCanonicalize, k, path)
		}
	}
	dt, hasType := m["@type"].(string)
	if hasType && dt != "@json" && !absolute(dt, false) {
		return 0, fmt.Errorf("%w: datatype %q at %q is not defined by the contexts", ErrUndefinedTerm, dt, path)
	}
	switch val.(type) {
	case map[string]any:
		if dt != "@json" {
			return 0, fmt.Errorf("%w: object value at %q", ErrCanonicalize, path)
		}
	case string, float64, bool:
		if dt == "@json" {
			return 0, fmt.Errorf("%w: a JSON literal at %q must be an object", ErrCanonicalize, path)
		}
	default:
		return 0, fmt.Errorf("%w: value of type %T at %q", ErrCanonicalize, val, path)
	}
	return 0, nil
}

// convert turns json-gold's dataset into rdfc quads. A JSON literal must
// already be in RFC 8785 form, which canon checks independently of
// json-gold's own canonicalizer.
func convert(ds *ld.RDFDataset) ([]rdfc.Quad, error) {
	var quads []rdfc.Quad
	for g, list := range ds.Graphs {
		var graph rdfc.Term
		switch {
		case g == "@default":
		case strings.HasPrefix(g, "_:"):
			graph = rdfc.Term{Kind: rdfc.BlankNode, Value: g[2:]}
		default:
			graph = rdfc.Term{Kind: rdfc.IRI, Value: g}
		}
		for _, q := range list {
			o, err := term(q.Object)
			if err != nil {
				return nil, err
			}
			if o.Kind == rdfc.Literal && o.Datatype == ld.RDFJSONLiteral {
				if c, err := canon.Canonicalize([]byte(o.Value)); err != nil || string(c) != o.Value {
					return nil, fmt.Errorf("%w: JSON literal is not in canonical form", ErrCanonicalize)
				}
			}
			s, err := term(q.Subject)
			if err != nil {
				return nil, err
			}
			p, err := term(q.Predicate)
			if err != nil {
				return nil, err
			}
			quads = append(quads, rdfc.Quad{Subject: s, Predicate: p, Object: o, Graph: graph})
		}
	}
	return quads, nil
}

func term(n ld.Node) (rdfc.Term, error) {
	switch t := n.(type) {
	case *ld.IRI:
		return rdfc.Term{Kind: rdfc.IRI, Value: t.Value}, nil
	case *ld.BlankNode:
		return rdfc.Term{Kind: rdfc.BlankNode, Value: strings.TrimPrefix(t.Attribute, "_:")}, nil
	case *ld.Literal:
		return rdfc.Term{Kind: rdfc.Literal, Value: t.Value, Datatype: t.Datatype, Language: t.Language}, nil
	}
	return rdfc.Term{}, fmt.Errorf("%w: RDF term %T", ErrCanonicalize, n)
}
