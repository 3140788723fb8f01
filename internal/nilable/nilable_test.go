package nilable

import "testing"

type impl struct{}

func (impl) M() {}

type iface interface{ M() }

func TestIs(t *testing.T) {
	var p *int
	var m map[string]int
	var s []int
	var c chan int
	var f func()
	var i iface
	var ip iface = (*impl)(nil)
	n := 0
	for _, tc := range []struct {
		x    any
		want bool
	}{
		{nil, true}, {p, true}, {m, true}, {s, true}, {c, true}, {f, true}, {i, true}, {ip, true},
		{&n, false}, {map[string]int{}, false}, {[]int{}, false}, {impl{}, false}, {0, false}, {"", false},
	} {
		if got := Is(tc.x); got != tc.want {
			t.Errorf("Is(%#v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}
