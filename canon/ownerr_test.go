package canon

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

var errWrapped = errors.New("wrapped: bad value")

// wrappedStrict decodes itself strictly and wraps the error in a sentinel
// of its own, as anchor's and payment's types do.
type wrappedStrict struct{ A int }

func (s *wrappedStrict) UnmarshalJSON(b []byte) error {
	var v struct {
		A int `json:"a"`
	}
	if err := Decode(b, &v); err != nil {
		return fmt.Errorf("%w: %w", errWrapped, err)
	}
	s.A = v.A
	return nil
}

// selfStrict decodes itself strictly, as iotrust's own types do.
type selfStrict struct{ A int }

func (s *selfStrict) UnmarshalJSON(b []byte) error {
	var v struct {
		A int `json:"a"`
	}
	if err := Decode(b, &v); err != nil {
		return err
	}
	s.A = v.A
	return nil
}

// An error from a member's own decoder names the member and reads once,
// not as "canon: … canon: …"; a nested strict decoder's path continues
// the outer one.
func TestOwnDecoderErrorPath(t *testing.T) {
	type doc struct {
		Root   Digest                `json:"root"`
		List   []Digest              `json:"list"`
		ByName map[string]*Digest    `json:"byName"`
		Inner  []selfStrict          `json:"inner"`
		Deep   map[string]selfStrict `json:"deep"`
		Wrap   *wrappedStrict        `json:"wrap"`
	}
	good := `"sha256:` + strings.Repeat("00", 32) + `"`
	for _, tc := range []struct {
		in, path string
		want     error
	}{
		{`{"root":"zz"}`, "/root", ErrBadDigest},
		{`{"root":` + good + `,"list":[` + good + `,"sha256:00"]}`, "/list/1", ErrBadDigest},
		{`{"byName":{"a/b":"x"}}`, "/byName/a~1b", ErrBadDigest},
		{`{"inner":[{"a":1},{"a":1,"b":2}]}`, "/inner/1/b", ErrUnknownMember},
		{`{"deep":{"k":{"A":1}}}`, "/deep/k/A", ErrUnknownMember},
		{`{"wrap":{"a":1,"b":2}}`, "/wrap/b", errWrapped},
	} {
		var v doc
		err := Decode([]byte(tc.in), &v)
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want a DecodeError matching %v", tc.in, err, tc.want)
			continue
		}
		if de.Path != tc.path {
			t.Errorf("%s: path %q, want %q (%v)", tc.in, de.Path, tc.path, err)
		}
		if strings.Count(err.Error(), "canon:") != 1 || strings.Count(err.Error(), " at ") != 1 {
			t.Errorf("%s: %q repeats the prefix or the path", tc.in, err)
		}
		if tc.want == errWrapped && (!errors.Is(err, ErrUnknownMember) || errors.Is(err, ErrWrongType)) {
			t.Errorf("%s: %v should match the nested ErrUnknownMember and not ErrWrongType", tc.in, err)
		}
		if tc.want == ErrBadDigest && !errors.Is(err, ErrWrongType) {
			t.Errorf("%s: %v does not match ErrWrongType", tc.in, err)
		}
	}
	var v doc
	if err := Decode([]byte(`{"root":`+good+`,"inner":[{"a":2}]}`), &v); err != nil || v.Inner[0].A != 2 {
		t.Fatalf("a good document: %v", err)
	}
}
