package canon

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors returned by Canonicalize and JSON. Each is wrapped in a
// *SyntaxError (for raw input) or returned wrapped with %w, so callers test
// them with errors.Is.
var (
	ErrSyntax         = errors.New("canon: invalid JSON")
	ErrDuplicateKey   = errors.New("canon: duplicate object key")
	ErrInvalidUTF8    = errors.New("canon: invalid UTF-8")
	ErrLoneSurrogate  = errors.New("canon: lone UTF-16 surrogate in string escape")
	ErrNumberRange    = errors.New("canon: number is not a finite IEEE 754 double")
	ErrUnsafeInteger  = errors.New("canon: integer literal beyond 2^53 would lose precision")
	ErrTooDeep        = errors.New("canon: nesting too deep")
	ErrTooLarge       = errors.New("canon: input too large")
	ErrNotRepresented = errors.New("canon: Go value has no JSON representation")
)

// SyntaxError reports where in the raw input a problem was found.
type SyntaxError struct {
	Offset int   // byte offset into the input
	Err    error // one of the package's sentinel errors
}

// Error implements error.
func (e *SyntaxError) Error() string { return fmt.Sprintf("%v at byte %d", e.Err, e.Offset) }

// Unwrap returns the sentinel, so errors.Is(err, ErrDuplicateKey) works.
func (e *SyntaxError) Unwrap() error { return e.Err }

// MaxSafeInteger is 2^53−1, the largest n such that every integer up to n is
// an exact IEEE 754 double. An integer literal (no fraction, no exponent)
// beyond it is accepted only if it is exactly the canonical spelling of a
// double, as ECMAScript and this package print large doubles (1e20 prints as
// 100000000000000000000); any other, such as 9007199254740993 or a uint64
// amount like 18446744073709551615, is rejected with ErrUnsafeInteger
// instead of being silently rounded, because two parties would then sign
// different values. Encode such integers as decimal strings.
const MaxSafeInteger = 1<<53 - 1

// Limits bounds the input that Canonicalize accepts.
type Limits struct {
	// MaxBytes is the largest raw input accepted, in bytes.
	MaxBytes int
	// MaxDepth is the deepest nesting of arrays and objects accepted; a
	// scalar at top level has depth 0, [1] has depth 1.
	MaxDepth int
}

// Default limits of Canonicalize, JSON and Decode: 1 MiB of input and 64
// levels of nesting, generous for readings, credentials and vouchers and
// small enough that hostile input cannot exhaust memory or stack.
const (
	DefaultMaxBytes = 1 << 20
	DefaultMaxDepth = 64
)

// DefaultLimits returns the limits Canonicalize, JSON and Decode apply:
// DefaultMaxBytes and DefaultMaxDepth.
func DefaultLimits() Limits { return Limits{MaxBytes: DefaultMaxBytes, MaxDepth: DefaultMaxDepth} }

// Canonicalize returns the RFC 8785 (JCS) canonical form of the JSON text
// raw under DefaultLimits. See Limits.Canonicalize.
func Canonicalize(raw []byte) ([]byte, error) { return DefaultLimits().Canonicalize(raw) }

// Canonicalize returns the RFC 8785 (JCS) canonical form of the JSON text
// raw: no insignificant whitespace, object members sorted by the UTF-16 code
// units of their names, numbers in ECMAScript's shortest round-trip form,
// strings with the minimal escaping of RFC 8785 §3.2.2.2.
//
// Input that JCS cannot represent unambiguously is rejected rather than
// guessed at: duplicate member names, invalid UTF-8, escaped lone
// surrogates, numbers that overflow a double, integer literals that a double
// cannot hold exactly (see MaxSafeInteger), empty input (ErrEmpty), data
// after the value (ErrTrailingData), and input beyond the limits. The
// returned error wraps one of the package's sentinels in a *SyntaxError
// with the offending offset.
func (l Limits) Canonicalize(raw []byte) ([]byte, error) {
	if len(raw) > l.MaxBytes {
		return nil, &SyntaxError{Offset: l.MaxBytes, Err: ErrTooLarge}
	}
	p := parser{in: raw, maxDepth: l.MaxDepth}
	p.skipSpace()
	if p.pos == len(p.in) {
		return nil, p.fail(ErrEmpty)
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.in) {
		return nil, p.fail(ErrTrailingData)
	}
	out := make([]byte, 0, len(raw))
	return v.appendTo(out), nil
}

// node is one parsed JSON value. Scalars keep their canonical text; objects
// keep decoded member names for sorting.
type node struct {
	kind    byte   // 's' string, 'n' number/literal (text is canonical), 'a' array, 'o' object
	text    []byte // canonical bytes for scalars; for strings, the decoded value
	items   []node // array elements, or object values
	keys    []string
	keySort []int // order of members after sorting
	escKeys []int // indexes of the keys spelled with escapes (usually none)
}

func (n *node) appendTo(out []byte) []byte {
	switch n.kind {
	case 's':
		return AppendString(out, string(n.text))
	case 'n':
		return append(out, n.text...)
	case 'a':
		out = append(out, '[')
		for i := range n.items {
			if i > 0 {
				out = append(out, ',')
			}
			out = n.items[i].appendTo(out)
		}
		return append(out, ']')
	default:
		out = append(out, '{')
		for j, i := range n.keySort {
			if j > 0 {
				out = append(out, ',')
			}
			out = AppendString(out, n.keys[i])
			out = append(out, ':')
			out = n.items[i].appendTo(out)
		}
		return append(out, '}')
	}
}

type parser struct {
	in       []byte
	pos      int
	maxDepth int
	// anyInt accepts integer literals of any size (kept verbatim): the
	// strict decoder hands them to Go integer types, which hold 64 bits.
	anyInt bool
	// escaped reports whether the last string str parsed held an escape.
	escaped bool
}

func (p *parser) fail(err error) error { return &SyntaxError{Offset: p.pos, Err: err} }

func (p *parser) skipSpace() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (node, error) {
	if p.pos >= len(p.in) {
		return node{}, p.fail(ErrSyntax)
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return node{kind: 's', text: []byte(s)}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(p.in)-p.pos >= len(lit) && string(p.in[p.pos:p.pos+len(lit)]) == lit {
				p.pos += len(lit)
				return node{kind: 'n', text: []byte(lit)}, nil
			}
		}
		return node{}, p.fail(ErrSyntax)
	}
}

func (p *parser) array(depth int) (node, error) {
	if depth > p.maxDepth {
		return node{}, p.fail(ErrTooDeep)
	}
	p.pos++ // '['
	n := node{kind: 'a'}
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.items = append(n.items, v)
		p.skipSpace()
		if p.pos >= len(p.in) {
			return node{}, p.fail(ErrSyntax)
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return n, nil
		default:
			return node{}, p.fail(ErrSyntax)
		}
	}
}

func (p *parser) object(depth int) (node, error) {
	if depth > p.maxDepth {
		return node{}, p.fail(ErrTooDeep)
	}
	p.pos++ // '{'
	n := node{kind: 'o'}
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return node{}, p.fail(ErrSyntax)
		}
		k, err := p.str()
		if err != nil {
			return node{}, err
		}
		if p.escaped {
			n.escKeys = append(n.escKeys, len(n.keys))
		}
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return node{}, p.fail(ErrSyntax)
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.keys = append(n.keys, k)
		n.items = append(n.items, v)
		p.skipSpace()
		if p.pos >= len(p.in) {
			return node{}, p.fail(ErrSyntax)
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return n, n.sortKeys(p.pos)
		default:
			return node{}, p.fail(ErrSyntax)
		}
	}
}

// sortKeys orders members by the UTF-16 code units of their names and
// rejects duplicates (RFC 8785 §3.1 requires I-JSON, which forbids them).
func (n *node) sortKeys(end int) error {
	n.keySort = make([]int, len(n.keys))
	for i := range n.keySort {
		n.keySort[i] = i
	}
	slices.SortFunc(n.keySort, func(a, b int) int { return compareUTF16(n.keys[a], n.keys[b]) })
	for i := 1; i < len(n.keySort); i++ {
		if n.keys[n.keySort[i-1]] == n.keys[n.keySort[i]] {
			return &SyntaxError{Offset: end, Err: fmt.Errorf("%w: %q", ErrDuplicateKey, truncate(n.keys[n.keySort[i]]))}
		}
	}
	return nil
}

// compareUTF16 compares two valid UTF-8 strings by their UTF-16 code units.
// UTF-8 byte order equals code point order, which differs from UTF-16 order
// only between supplementary characters (encoded from 0xD800) and BMP
// characters from U+E000 up; so compare code points, mapping supplementary
// ones to their lead surrogate when the other side is in the BMP.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ka, kb := ra, rb
			if (ra >= 0x10000) != (rb >= 0x10000) {
				if ra >= 0x10000 {
					ka, _ = utf16.EncodeRune(ra)
				} else {
					kb, _ = utf16.EncodeRune(rb)
				}
			}
			if ka < kb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b) // the shorter (a prefix) sorts first
}

// str parses a JSON string at p.pos (which is '"') and returns its value.
func (p *parser) str() (string, error) {
	p.escaped = false
	p.pos++
	start := p.pos
	// Fast path: no escapes, ASCII only.
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		if c == '"' {
			s := string(p.in[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.in[start:p.pos]...)
	for {
		if p.pos >= len(p.in) {
			return "", p.fail(ErrSyntax)
		}
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.fail(ErrSyntax)
		case c == '\\':
			p.escaped = true
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
		case c < 0x80:
			buf = append(buf, c)
			p.pos++
		default:
			r, n := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", p.fail(ErrInvalidUTF8)
			}
			buf = append(buf, p.in[p.pos:p.pos+n]...)
			p.pos += n
		}
	}
}

// escape decodes one escape sequence at p.pos (which is '\\'), combining
// \uD8xx\uDCxx surrogate pairs and rejecting lone surrogates.
func (p *parser) escape() (rune, error) {
	if p.pos+1 >= len(p.in) {
		return 0, p.fail(ErrSyntax)
	}
	c := p.in[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
	default:
		p.pos -= 2
		return 0, p.fail(ErrSyntax)
	}
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail(ErrSyntax)
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	at := p.pos - 6
	if r >= 0xDC00 || p.pos+1 >= len(p.in) || p.in[p.pos] != '\\' || p.in[p.pos+1] != 'u' {
		return 0, &SyntaxError{Offset: at, Err: ErrLoneSurrogate}
	}
	p.pos += 2
	r2, ok := p.hex4()
	if !ok {
		return 0, p.fail(ErrSyntax)
	}
	if r2 < 0xDC00 || r2 > 0xDFFF {
		return 0, &SyntaxError{Offset: at, Err: ErrLoneSurrogate}
	}
	return utf16.DecodeRune(r, r2), nil
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.in) {
		return 0, false
	}
	var r rune
	for _, c := range p.in[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// number parses a JSON number per RFC 8259's grammar and returns its
// canonical ECMAScript text.
func (p *parser) number() (node, error) {
	start := p.pos
	integer := true
	if p.in[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	switch {
	case p.pos < len(p.in) && p.in[p.pos] == '0':
		p.pos++
	case digits() == 0:
		return node{}, p.fail(ErrSyntax)
	}
	if p.pos < len(p.in) && p.in[p.pos] == '.' {
		integer = false
		p.pos++
		if digits() == 0 {
			return node{}, p.fail(ErrSyntax)
		}
	}
	if p.pos < len(p.in) && (p.in[p.pos] == 'e' || p.in[p.pos] == 'E') {
		integer = false
		p.pos++
		if p.pos < len(p.in) && (p.in[p.pos] == '+' || p.in[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return node{}, p.fail(ErrSyntax)
		}
	}
	lit := string(p.in[start:p.pos])
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil { // only range errors remain after the grammar check
		return node{}, &SyntaxError{Offset: start, Err: ErrNumberRange}
	}
	text := AppendNumber(nil, f)
	if integer && p.anyInt {
		text = []byte(lit)
	} else if integer && math.Abs(f) > MaxSafeInteger && string(text) != lit {
		return node{}, &SyntaxError{Offset: start, Err: ErrUnsafeInteger}
	}
	return node{kind: 'n', text: text}, nil
}

// AppendNumber appends the ECMAScript (ES2019 Number::toString) form of f
// that RFC 8785 §3.2.2.3 prescribes, e.g. 1e+21, 0.000001, 1e-7, -0 as 0.
// It panics on NaN and ±Inf, which have no JSON form: callers check first.
func AppendNumber(out []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		panic("canon: AppendNumber of a non-finite value")
	}
	if f == 0 {
		return append(out, '0')
	}
	if f < 0 {
		out = append(out, '-')
		f = -f
	}
	// Shortest round-trip digits and decimal exponent, as ECMAScript
	// requires: f = 0.d1d2…dk × 10^n.
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	mant, exp, _ := cutByte(e, 'e')
	var digs [24]byte
	k := 0
	for _, c := range mant {
		if c != '.' {
			digs[k] = c
			k++
		}
	}
	x, _ := strconv.Atoi(string(exp))
	n := x + 1
	d := digs[:k]
	switch {
	case k <= n && n <= 21:
		out = append(out, d...)
		for i := 0; i < n-k; i++ {
			out = append(out, '0')
		}
	case 0 < n && n <= 21:
		out = append(out, d[:n]...)
		out = append(out, '.')
		out = append(out, d[n:]...)
	case -6 < n && n <= 0:
		out = append(out, '0', '.')
		for i := 0; i < -n; i++ {
			out = append(out, '0')
		}
		out = append(out, d...)
	default:
		out = append(out, d[0])
		if k > 1 {
			out = append(out, '.')
			out = append(out, d[1:]...)
		}
		out = append(out, 'e')
		if n-1 >= 0 {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, int64(n-1), 10)
	}
	return out
}

func cutByte(b []byte, sep byte) (before, after []byte, found bool) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

// AppendString appends s to out as a JSON string with RFC 8785's escaping:
// only '"', '\\' and control characters are escaped, the latter as \b \t
// \n \f \r or \u00xx (lowercase hex); every other byte is copied as it is.
// The result is canonical when s is valid UTF-8, which the caller
// ensures: AppendString does not check it. Encoders that write a fixed
// shape of canonical JSON directly, without building a value, use it.
func AppendString(out []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		out = append(out, s[start:i]...)
		switch c {
		case '"', '\\':
			out = append(out, '\\', c)
		case '\b':
			out = append(out, '\\', 'b')
		case '\t':
			out = append(out, '\\', 't')
		case '\n':
			out = append(out, '\\', 'n')
		case '\f':
			out = append(out, '\\', 'f')
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}
