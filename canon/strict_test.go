package canon

import (
	"errors"
	"strings"
	"testing"
)

type strictInner struct {
	X string `json:"x"`
}

type strictEmbedded struct {
	E int `json:"e"`
}

type strictDoc struct {
	strictEmbedded
	Index uint64                 `json:"index"`
	Root  []byte                 `json:"root,omitempty"`
	Inner *strictInner           `json:"inner,omitempty"`
	List  []strictInner          `json:"list,omitempty"`
	Map   map[string]strictInner `json:"map,omitempty"`
	NoTag string
	Skip  string `json:"-"`
}

func TestDecodeAccepts(t *testing.T) {
	var d strictDoc
	in := `{"index":18446744073709551615,"root":"AAE=","inner":{"x":"a"},"list":[{"x":"b"}],"map":{"ANY":{"x":"c"}},"NoTag":"n","e":7}`
	if err := Decode([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if d.Index != 1<<64-1 || d.Inner.X != "a" || d.List[0].X != "b" || d.Map["ANY"].X != "c" || d.NoTag != "n" || d.E != 7 || len(d.Root) != 2 {
		t.Fatalf("decoded %+v", d)
	}
}

// TestDecodeRefuses is the catalogue of inputs encoding/json accepts and a
// strict reader must not, each with the sentinel it must produce.
func TestDecodeRefuses(t *testing.T) {
	cases := []struct {
		name, in string
		want     error
	}{
		{"empty", ``, ErrEmpty},
		{"whitespace only", " \n\t", ErrEmpty},
		{"trailing garbage", `{"index":1} x`, ErrTrailingData},
		{"two values", `{"index":1}{"index":2}`, ErrTrailingData},
		{"case-folded member", `{"INDEX":1}`, ErrUnknownMember},
		{"case-folded nested member", `{"inner":{"X":"a"}}`, ErrUnknownMember},
		{"case-folded member in list", `{"list":[{"x":"a"},{"X":"b"}]}`, ErrUnknownMember},
		{"case-folded member in map value", `{"map":{"k":{"X":"a"}}}`, ErrUnknownMember},
		{"unknown member", `{"index":1,"extra":true}`, ErrUnknownMember},
		{"skipped field by name", `{"Skip":"s"}`, ErrUnknownMember},
		{"field name in lower case", `{"notag":"n"}`, ErrUnknownMember},
		{"duplicate member", `{"index":1,"index":0}`, ErrDuplicateKey},
		{"duplicate nested member", `{"inner":{"x":"a","x":"b"}}`, ErrDuplicateKey},
		{"invalid UTF-8", "{\"inner\":{\"x\":\"\xff\"}}", ErrInvalidUTF8},
		{"lone surrogate", `{"inner":{"x":"\ud800"}}`, ErrLoneSurrogate},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), ErrTooDeep},
		{"syntax", `{"index":}`, ErrSyntax},
		{"overflow", `{"index":18446744073709551616}`, ErrWrongType},
		{"negative into unsigned", `{"index":-1}`, ErrWrongType},
		{"string for number", `{"index":"1"}`, ErrWrongType},
		{"bad base64", `{"root":"!!"}`, ErrWrongType},
		{"escaped member name", `{"\u0069ndex":1}`, ErrUnknownMember},
		{"escaped nested member name", `{"inner":{"\u0078":"a"}}`, ErrUnknownMember},
		{"escaped member in list", `{"list":[{"x":"a"},{"\u0078":"b"}]}`, ErrUnknownMember},
		{"escaped embedded member", `{"\u0065":7}`, ErrUnknownMember},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d strictDoc
			err := Decode([]byte(c.in), &d)
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode(%q) = %v, want %v", c.in, err, c.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError", err)
			}
		})
	}
}

// Escapes are refused in the names of struct members only: map keys and
// string values decode whatever escapes JSON allows.
func TestDecodeEscapesOutsideNames(t *testing.T) {
	var d strictDoc
	in := `{"inner":{"x":"\u0061\/\u0026"},"map":{"\u004b":{"x":"\n"}}}`
	if err := Decode([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if d.Inner.X != "a/&" || d.Map["K"].X != "\n" {
		t.Fatalf("decoded %+v", d)
	}
}

func TestDecodeErrorPath(t *testing.T) {
	var d strictDoc
	err := Decode([]byte(`{"list":[{"x":"a"},{"y":1}]}`), &d)
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "/list/1/y" {
		t.Fatalf("got %v, want path /list/1/y", err)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	var d strictDoc
	err := Limits{MaxBytes: 8, MaxDepth: 4}.Decode([]byte(`{"index":12345}`), &d)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}

func TestDecodeNeedsPointer(t *testing.T) {
	if err := Decode([]byte(`{}`), strictDoc{}); !errors.Is(err, ErrWrongType) {
		t.Fatalf("got %v", err)
	}
}

// FuzzDecode holds Decode to its promise: whatever it accepts, encoding/json
// re-encodes to a document Decode accepts again with the same meaning.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"index":1}`, `{"INDEX":1}`, `{"inner":{"x":"a"},"list":[]}`, `{"map":{"a":{"x":"b"}}}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var d strictDoc
		if err := Decode(in, &d); err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		out, err := JSON(d)
		if err != nil {
			return // e.g. an index beyond 2^53 has no canonical number
		}
		var d2 strictDoc
		if err := Decode(out, &d2); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, _ := JSON(d2)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed %s to %s", out, out2)
		}
	})
}
