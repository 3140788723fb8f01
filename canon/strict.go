package canon

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Errors of strict decoding, besides the syntax sentinels of Canonicalize
// (ErrSyntax, ErrDuplicateKey, ErrInvalidUTF8, ErrTooDeep, ErrTooLarge, …).
// Decode wraps each in a *DecodeError; Canonicalize reports ErrEmpty and
// ErrTrailingData too, in a *SyntaxError.
var (
	// ErrEmpty reports input with no JSON value in it. It wraps ErrSyntax.
	ErrEmpty = fmt.Errorf("%w: empty input", ErrSyntax)
	// ErrTrailingData reports bytes after the one JSON value. It wraps
	// ErrSyntax.
	ErrTrailingData = fmt.Errorf("%w: data after the JSON value", ErrSyntax)
	// ErrUnknownMember reports an object member that the target type does
	// not define under exactly that name (encoding/json would match it
	// case-insensitively or drop it).
	ErrUnknownMember = errors.New("canon: unknown object member")
	// ErrWrongType reports a JSON value that does not fit the Go type it
	// decodes into (a string for a number, a number beyond the type's range).
	ErrWrongType = errors.New("canon: JSON value does not fit the target type")
)

// DecodeError reports where strict decoding failed: Path is a JSON pointer
// (RFC 6901) to the offending member, or empty for the whole input; Offset
// is a byte offset into the input, or -1 when not known.
type DecodeError struct {
	Path   string
	Offset int
	Err    error
}

// Error implements error.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(strconv.Quote(e.Path))
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, ErrUnknownMember) works.
func (e *DecodeError) Unwrap() error { return e.Err }

// Decode parses raw strictly into v (a non-nil pointer) under DefaultLimits.
// See Limits.Decode.
func Decode(raw []byte, v any) error { return DefaultLimits().Decode(raw, v) }

// Decode parses raw, which must hold exactly one JSON value and nothing
// after it but whitespace, into v, a non-nil pointer, and accepts only one
// spelling of each document:
//
//   - object member names match the target's JSON names exactly (struct
//     tags, or the field name where there is no tag), never by case folding,
//     and are spelled without escapes ("\u0072oot" is not "root"); string
//     values and map keys may use any escape JSON allows (encoding/json, for
//     one, writes <, > and & as escapes);
//   - a member the target type does not define is refused (ErrUnknownMember);
//   - duplicate member names, invalid UTF-8, lone surrogates and nesting or
//     size beyond l are refused, as by Canonicalize;
//   - empty input (ErrEmpty) and data after the value (ErrTrailingData) are
//     refused.
//
// Integer literals of any size are passed to the target type, which refuses
// what it cannot hold (ErrWrongType). Types with their own UnmarshalJSON or
// UnmarshalText decode their part themselves: iotrust's own such types call
// Decode in turn. An error of such a decoder is returned with the JSON
// Pointer of the member it refused (continued by a nested Decode's own
// path) and matches the decoder's error, and ErrWrongType unless it is a
// nested Decode's error. Map keys are free-form; map values and slice elements are
// checked like the rest. Every error is a *DecodeError wrapping a sentinel.
func (l Limits) Decode(raw []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &DecodeError{Offset: -1, Err: fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrWrongType, v)}
	}
	if len(raw) > l.MaxBytes {
		return &DecodeError{Offset: l.MaxBytes, Err: ErrTooLarge}
	}
	p := parser{in: raw, maxDepth: l.MaxDepth, anyInt: true}
	p.skipSpace()
	if p.pos == len(p.in) {
		return &DecodeError{Offset: p.pos, Err: ErrEmpty}
	}
	n, err := p.value(0)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return &DecodeError{Offset: se.Offset, Err: se.Err}
		}
		return &DecodeError{Offset: -1, Err: err}
	}
	p.skipSpace()
	if p.pos != len(p.in) {
		return &DecodeError{Offset: p.pos, Err: ErrTrailingData}
	}
	if err := walkMembers(&n, rv.Type().Elem(), "", nil); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			path := ""
			if te.Field != "" {
				path = "/" + strings.ReplaceAll(te.Field, ".", "/")
			}
			return &DecodeError{Path: path, Offset: int(te.Offset), Err: fmt.Errorf("%w: %s into %s", ErrWrongType, te.Value, te.Type)}
		}
		// A member's own decoder refused its value; encoding/json does not
		// say which member, so find it.
		path, merr := ownDecoderFailure(&n, rv.Type().Elem())
		var de *DecodeError
		if d, ok := merr.(*DecodeError); ok { // a nested strict Decode: its path, from here
			return &DecodeError{Path: path + d.Path, Offset: -1, Err: d.Err}
		}
		if merr != nil {
			// A nested strict error wrapped by its type's own sentinel
			// keeps both, and is no type mismatch of this document. When
			// its message ends with the nested error's, that ending's
			// path moves out to this one's, so the message names the
			// whole path once.
			text := merr.Error()
			nested := errors.As(merr, &de)
			if nested {
				if inner := de.Error(); strings.HasSuffix(text, inner) {
					text = text[:len(text)-len(inner)] + de.Err.Error()
					path += de.Path
				}
			}
			return &DecodeError{Path: path, Offset: -1, Err: ownDecoderError{err: merr, text: text, wrongType: !nested}}
		}
		if errors.As(err, &de) {
			return err
		}
		return &DecodeError{Offset: -1, Err: fmt.Errorf("%w: %w", ErrWrongType, err)}
	}
	return nil
}

// ownDecoderError is the error of a member's own decoder (UnmarshalJSON
// or UnmarshalText). It matches the decoder's error, and ErrWrongType
// when wrongType is set, and reads as the decoder's error, which names
// what was wrong.
type ownDecoderError struct {
	err       error
	text      string // err's message, a nested path moved out of it
	wrongType bool
}

func (e ownDecoderError) Error() string { return e.text }

func (e ownDecoderError) Unwrap() []error {
	if e.wrongType {
		return []error{ErrWrongType, e.err}
	}
	return []error{e.err}
}

// ownDecoderFailure decodes, on its own, each value of n whose type
// decodes itself (see walkMembers), and returns the JSON Pointer and the
// error of the first one refused; "" and nil when each decodes. Each value
// is decoded once.
func ownDecoderFailure(n *node, t reflect.Type) (path string, err error) {
	_ = walkMembers(n, t, "", func(n *node, t reflect.Type, p string) error {
		if e := json.Unmarshal(n.appendTo(nil), reflect.New(t).Interface()); e != nil {
			path, err = p, e
			return e // stops the walk
		}
		return nil
	})
	return path, err
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
)

// unmarshalsItself reports whether t (or *t) decodes its own JSON.
func unmarshalsItself(t reflect.Type) bool {
	if t == rawMessageType {
		return true
	}
	if t.Implements(jsonUnmarshalerType) || t.Implements(textUnmarshalerType) {
		return true
	}
	if t.Kind() != reflect.Pointer {
		pt := reflect.PointerTo(t)
		return pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)
	}
	return false
}

// walkMembers walks the parsed value n alongside the Go type t, in
// document order, and refuses object members t does not define under
// exactly that name. A value whose type decodes itself is not entered:
// it is handed to self, when self is not nil, whose error ends the walk.
func walkMembers(n *node, t reflect.Type, path string, self func(n *node, t reflect.Type, path string) error) error {
	for t.Kind() == reflect.Pointer && !unmarshalsItself(t) {
		t = t.Elem()
	}
	if unmarshalsItself(t) {
		if self == nil {
			return nil
		}
		return self(n, t, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.kind != 'o' {
			return nil // null, or a type error json.Unmarshal reports
		}
		fields := structFields(t)
		for i, k := range n.keys {
			f, ok := fields[k]
			if !ok {
				return &DecodeError{Path: path + "/" + escapePointer(k), Offset: -1, Err: fmt.Errorf("%w %q in %s", ErrUnknownMember, truncate(k), t)}
			}
			if slices.Contains(n.escKeys, i) {
				return &DecodeError{Path: path + "/" + escapePointer(k), Offset: -1, Err: fmt.Errorf("%w %q in %s: its name is spelled with escapes", ErrUnknownMember, truncate(k), t)}
			}
			if err := walkMembers(&n.items[i], f, path+"/"+escapePointer(k), self); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.kind != 'o' {
			return nil
		}
		for i, k := range n.keys {
			if err := walkMembers(&n.items[i], t.Elem(), path+"/"+escapePointer(k), self); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.kind != 'a' {
			return nil // []byte is a base64 string; others are type errors
		}
		for i := range n.items {
			if err := walkMembers(&n.items[i], t.Elem(), path+"/"+strconv.Itoa(i), self); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldCache maps a struct type to its JSON member names and their types.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// structFields returns the exact JSON member names of struct type t, with
// embedded structs' fields promoted as encoding/json promotes them.
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	addFields(m, t, 0)
	fieldCache.Store(t, m)
	return m
}

func addFields(m map[string]reflect.Type, t reflect.Type, depth int) {
	if depth > 16 {
		return
	}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	for _, et := range embedded { // outer fields win over promoted ones
		inner := map[string]reflect.Type{}
		addFields(inner, et, depth+1)
		for k, v := range inner {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
	}
}

func escapePointer(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}
