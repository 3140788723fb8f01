package canon

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"unicode/utf8"
)

// JSON returns the RFC 8785 canonical JSON of the Go value v: v is encoded
// with encoding/json (so struct tags, omitempty and custom MarshalJSON apply)
// and the result is canonicalized under DefaultLimits.
//
// Values that have no faithful canonical form are rejected with a wrapped
// sentinel instead of being altered: NaN and ±Inf (ErrNotRepresented),
// strings holding invalid UTF-8, which encoding/json would silently replace
// with U+FFFD (ErrInvalidUTF8), and integers a double cannot hold exactly
// (ErrUnsafeInteger, see MaxSafeInteger) — encode such amounts as decimal
// strings.
func JSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotRepresented, err)
	}
	if err := checkStrings(reflect.ValueOf(v), 0); err != nil {
		return nil, err
	}
	return Canonicalize(raw)
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// checkStrings walks v as encoding/json would and reports the first string
// (value or map key) that is not valid UTF-8. Values with their own
// MarshalJSON produce JSON text that Canonicalize validates itself.
func checkStrings(v reflect.Value, depth int) error {
	if !v.IsValid() {
		return nil
	}
	if depth > DefaultMaxDepth*4 {
		return fmt.Errorf("%w: Go value nested deeper than %d", ErrTooDeep, DefaultMaxDepth*4)
	}
	t := v.Type()
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return fmt.Errorf("%w: string %q", ErrInvalidUTF8, truncate(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkStrings(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() || t.Field(i).Anonymous {
				if err := checkStrings(v.Field(i), depth+1); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // base64 text
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkStrings(v.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := checkStrings(it.Key(), depth+1); err != nil {
				return err
			}
			if err := checkStrings(it.Value(), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
