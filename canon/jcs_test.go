package canon

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// RFC 8785 §3.2.2 and §3.2.3: the input and output of the main example and
// of the sorting example.
func TestCanonicalizeRFC8785Examples(t *testing.T) {
	cases := []struct{ in, want string }{
		{
			`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
			`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{
			`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control\u007f",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`,
			"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
		},
		{`[56,{"d":true,"10":null,"1":[]}]`, `[56,{"1":[],"10":null,"d":true}]`},
		{`{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}`,
			`{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}`},
		{` "\u0000\u001f\u007f\u2028" `, "\"\\u0000\\u001f\u007f\u2028\""},
		{`-0`, `0`},
		{`[-0.0, 1.0, 1e2, 1E-7, 123456789012345678901234567890.0]`, `[0,1,100,1e-7,1.2345678901234568e+29]`},
		{`9007199254740991`, `9007199254740991`},
		{`-9007199254740991`, `-9007199254740991`},
		{`9007199254740992`, `9007199254740992`},
		{`100000000000000000000`, `100000000000000000000`},
		{`295147905179352830000`, `295147905179352830000`},
		{`{}`, `{}`},
		{`[]`, `[]`},
		{`""`, `""`},
	}
	for _, c := range cases {
		got, err := Canonicalize([]byte(c.in))
		if err != nil {
			t.Fatalf("Canonicalize(%q): %v", c.in, err)
		}
		if string(got) != c.want {
			t.Errorf("Canonicalize(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
var numberVectors = []struct{ bits, want string }{
	{"0000000000000000", "0"},
	{"8000000000000000", "0"},
	{"0000000000000001", "5e-324"},
	{"8000000000000001", "-5e-324"},
	{"7fefffffffffffff", "1.7976931348623157e+308"},
	{"ffefffffffffffff", "-1.7976931348623157e+308"},
	{"4340000000000000", "9007199254740992"},
	{"c340000000000000", "-9007199254740992"},
	{"4430000000000000", "295147905179352830000"},
	{"44b52d02c7e14af5", "9.999999999999997e+22"},
	{"44b52d02c7e14af6", "1e+23"},
	{"44b52d02c7e14af7", "1.0000000000000001e+23"},
	{"444b1ae4d6e2ef4e", "999999999999999700000"},
	{"444b1ae4d6e2ef4f", "999999999999999900000"},
	{"444b1ae4d6e2ef50", "1e+21"},
	{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
	{"3eb0c6f7a0b5ed8d", "0.000001"},
	{"41b3de4355555553", "333333333.3333332"},
	{"41b3de4355555554", "333333333.33333325"},
	{"41b3de4355555555", "333333333.3333333"},
	{"41b3de4355555556", "333333333.3333334"},
	{"41b3de4355555557", "333333333.33333343"},
	{"becbf647612f3696", "-0.0000033333333333333333"},
	{"43143ff3c1cb0959", "1424953923781206.2"},
}

func TestNumberSerializationAppendixB(t *testing.T) {
	for _, v := range numberVectors {
		b, _ := hex.DecodeString(v.bits)
		f := math.Float64frombits(binary.BigEndian.Uint64(b))
		if got := string(AppendNumber(nil, f)); got != v.want {
			t.Errorf("%s: got %s, want %s", v.bits, got, v.want)
		}
		// The canonical text is a fixed point, and so is an exponent
		// re-spelling of it.
		for _, lit := range []string{v.want, strings.Replace(v.want, "e", "E", 1)} {
			got, err := Canonicalize([]byte(lit))
			if err != nil {
				t.Errorf("%s: Canonicalize(%s): %v", v.bits, lit, err)
				continue
			}
			if string(got) != v.want {
				t.Errorf("%s: Canonicalize(%s) = %s, want %s", v.bits, lit, got, v.want)
			}
		}
	}
	for _, bad := range []string{"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"} {
		b, _ := hex.DecodeString(bad)
		f := math.Float64frombits(binary.BigEndian.Uint64(b))
		if _, err := JSON(f); !errors.Is(err, ErrNotRepresented) {
			t.Errorf("%s: JSON(%v) error = %v, want ErrNotRepresented", bad, f, err)
		}
	}
}

func TestCanonicalizeRejects(t *testing.T) {
	deep := strings.Repeat("[", 65) + strings.Repeat("]", 65)
	okDeep := strings.Repeat("[", 64) + strings.Repeat("]", 64)
	if _, err := Canonicalize([]byte(okDeep)); err != nil {
		t.Fatalf("depth 64 rejected: %v", err)
	}
	cases := []struct {
		in   string
		want error
	}{
		{`{"a":1,"a":2}`, ErrDuplicateKey},
		{`{"a":1,"\u0061":2}`, ErrDuplicateKey},
		{"\"\xff\"", ErrInvalidUTF8},
		{"\"\xed\xa0\x80\"", ErrInvalidUTF8}, // UTF-8 encoded surrogate
		{`"\ud800"`, ErrLoneSurrogate},
		{`"\udc00\ud800"`, ErrLoneSurrogate},
		{`"\ud800\u0041"`, ErrLoneSurrogate},
		{`1e400`, ErrNumberRange},
		{`-1e400`, ErrNumberRange},
		{`9007199254740993`, ErrUnsafeInteger},
		{`-9007199254740993`, ErrUnsafeInteger},
		{`18446744073709551615`, ErrUnsafeInteger},
		{`1152921504606846976`, ErrUnsafeInteger}, // 2^60 exactly, but canonically 1152921504606847000
		{`295147905179352825856`, ErrUnsafeInteger},
		{deep, ErrTooDeep},
		{`{"a":` + deep + `}`, ErrTooDeep},
		{``, ErrSyntax},
		{``, ErrEmpty},
		{`   `, ErrEmpty},
		{`{} x`, ErrTrailingData},
		{`1 2`, ErrTrailingData},
		{`01`, ErrSyntax},
		{`1.`, ErrSyntax},
		{`.5`, ErrSyntax},
		{`+1`, ErrSyntax},
		{`1e`, ErrSyntax},
		{`NaN`, ErrSyntax},
		{`Infinity`, ErrSyntax},
		{`[1,]`, ErrSyntax},
		{`{"a":1,}`, ErrSyntax},
		{`{"a" 1}`, ErrSyntax},
		{`{a:1}`, ErrSyntax},
		{`[1 2]`, ErrSyntax},
		{`"a` + "\n" + `"`, ErrSyntax},
		{`"\x"`, ErrSyntax},
		{`"\u12"`, ErrSyntax},
		{`true false`, ErrSyntax},
		{"\ufeff{}", ErrSyntax},
		{`tru`, ErrSyntax},
		{`"unterminated`, ErrSyntax},
	}
	for _, c := range cases {
		_, err := Canonicalize([]byte(c.in))
		if !errors.Is(err, c.want) {
			t.Errorf("Canonicalize(%q) error = %v, want %v", c.in, err, c.want)
		}
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("Canonicalize(%q) error %T is not a *SyntaxError", c.in, err)
		}
	}
	big := make([]byte, DefaultMaxBytes+1)
	if _, err := Canonicalize(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversize input: %v, want ErrTooLarge", err)
	}
	small := Limits{MaxBytes: 10, MaxDepth: 1}
	if _, err := small.Canonicalize([]byte(`[[1]]`)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("custom depth: %v", err)
	}
	if _, err := small.Canonicalize([]byte(`[1,2,3,4,5,6]`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("custom size: %v", err)
	}
}

func TestJSONFromGoValues(t *testing.T) {
	type reading struct {
		Device string  `json:"device"`
		Seq    uint64  `json:"seq"`
		Value  float64 `json:"value"`
		Unit   string  `json:"unit"`
		Note   string  `json:"note,omitempty"`
		HTML   string  `json:"html"`
	}
	got, err := JSON(reading{Device: "did:key:z6Mk", Seq: 7, Value: 4.50, Unit: "°C", HTML: "<a&b>"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"device":"did:key:z6Mk","html":"<a&b>","seq":7,"unit":"°C","value":4.5}`
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if _, err := JSON(map[string]any{"v": math.NaN()}); !errors.Is(err, ErrNotRepresented) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := JSON(map[string]uint64{"amount": 1 << 60}); !errors.Is(err, ErrUnsafeInteger) {
		t.Errorf("2^60: %v", err)
	}
	if _, err := JSON(struct{ S string }{"bad\xffutf8"}); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8 value: %v", err)
	}
	if _, err := JSON(map[string]int{"k\xfe": 1}); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8 key: %v", err)
	}
	if _, err := JSON(make(chan int)); !errors.Is(err, ErrNotRepresented) {
		t.Errorf("chan: %v", err)
	}
	raw := json.RawMessage(`{"b":1,"a":2}`)
	if got, err := JSON(raw); err != nil || string(got) != `{"a":2,"b":1}` {
		t.Errorf("RawMessage: %s, %v", got, err)
	}
}

// randomJSON builds a random JSON document from the generator r, with
// awkward strings (escapes, supplementary characters, controls) and numbers
// spread over the whole double range.
func randomJSON(r *rand.Rand, depth int) any {
	switch k := r.IntN(8); {
	case depth > 4 || k < 2:
		return randomNumber(r)
	case k == 2:
		return randomString(r)
	case k == 3:
		return []any{nil, true, false}[r.IntN(3)]
	case k < 6:
		n := r.IntN(5)
		a := make([]any, n)
		for i := range a {
			a[i] = randomJSON(r, depth+1)
		}
		return a
	default:
		n := r.IntN(6)
		m := make(map[string]any, n)
		for i := 0; i < n; i++ {
			m[randomString(r)] = randomJSON(r, depth+1)
		}
		return m
	}
}

func randomNumber(r *rand.Rand) float64 {
	switch r.IntN(4) {
	case 0:
		return float64(r.Int64N(MaxSafeInteger)) * float64(1-2*r.IntN(2))
	case 1:
		return r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
	default:
		for {
			f := math.Float64frombits(r.Uint64())
			if !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f
			}
		}
	}
}

func randomString(r *rand.Rand) string {
	alphabet := []rune{'a', 'b', 'Z', '0', '"', '\\', '/', '\n', '\t', 0x01, 0x1f, 0x7f, 'é', 'ö', '€', 0x2028, 0xe000, 0xfb33, 0xffff, 0x10000, 0x1f600, 0x10ffff}
	n := r.IntN(6)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// Canonical output is a fixed point, and it parses back (with
// encoding/json as an independent parser) to the same data as the input.
func TestCanonicalIsFixedPoint(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		doc := randomJSON(r, 0)
		raw, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		c1, err := Canonicalize(raw)
		if err != nil {
			t.Fatalf("Canonicalize(%s): %v", raw, err)
		}
		c2, err := Canonicalize(c1)
		if err != nil || string(c1) != string(c2) {
			t.Fatalf("not a fixed point:\n%s\n%s (%v)", c1, c2, err)
		}
		var a, b any
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(c1, &b); err != nil {
			t.Fatalf("canonical output is not JSON: %s: %v", c1, err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("canonicalization changed the data:\n%s\n%s", ja, jb)
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	// U+FB33 sorts after U+1F600 in UTF-16 (0xFB33 > 0xD83D) although
	// its code point is smaller; U+E000 likewise.
	ordered := []string{"", "\r", "1", "a", "ab", "\u0080", "ö", "€", "\U0001F600", "\U0010FFFF", "\ue000", "\ufb33", "\uffff"}
	for i := range ordered {
		for j := range ordered {
			got := compareUTF16(ordered[i], ordered[j])
			if (i < j && got >= 0) || (i > j && got <= 0) || (i == j && got != 0) {
				t.Errorf("compareUTF16(%q, %q) = %d", ordered[i], ordered[j], got)
			}
		}
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]}`,
		`{"\u20ac":"Euro","\ud83d\ude00":1,"\ufb33":[]}`,
		`{"a":1,"a":2}`, `"\ud800"`, `[[[[[]]]]]`, `-0.0e-0`, `9007199254740992`, "\"\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := Canonicalize(raw)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			return
		}
		if !json.Valid(c) {
			t.Fatalf("output is not valid JSON: %q", c)
		}
		c2, err := Canonicalize(c)
		if err != nil || string(c2) != string(c) {
			t.Fatalf("not a fixed point: %q -> %q (%v)", c, c2, err)
		}
	})
}
