package web

import (
	"bytes"
	"testing"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/batch"
)

// A private sensor's chart shows where committed values are, and no value.
func TestChartPrivate(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var pts []Point
	for i := range 5 {
		pts = append(pts, Point{Time: t0.Add(time.Duration(i) * time.Second), Sensor: "temperature", Unit: "Cel", Private: true})
	}
	svg := Chart(pts, nil, &Band{Sensor: "temperature", Unit: "Cel", Lo: 2, Hi: 8})
	if !bytes.Contains(svg, []byte("5 private readings")) || bytes.Contains(svg, []byte("<polyline")) || bytes.Contains(svg, []byte("band ")) {
		t.Fatalf("private chart: %s", svg)
	}
}

// Batch boundaries and anchor times inside the chart's span are marked;
// text from readings and receipts is escaped.
func TestChartMarksAndEscaping(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pts := []Point{
		{Time: t0, Sensor: "s", Unit: `<script>`, Value: 1},
		{Time: t0.Add(10 * time.Second), Sensor: "s", Unit: `<script>`, Value: 2},
	}
	bs := []batch.BatchInfo{{Number: 7, Commitment: anchor.Commitment{WindowStart: t0, WindowEnd: t0.Add(4 * time.Second), Count: 1},
		Receipts: []anchor.Receipt{{Ledger: `<b>x</b>`, Time: t0.Add(5 * time.Second), State: anchor.Final}}}}
	svg := Chart(pts, bs, &Band{Sensor: "s", Unit: `<script>`, Lo: 0, Hi: 1})
	if bytes.Contains(svg, []byte("<script>")) || bytes.Contains(svg, []byte("<b>")) {
		t.Fatalf("unescaped text: %s", svg)
	}
	for _, want := range []string{`class="batch"`, `#7`, `class="anchor"`, `class="out"`} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Fatalf("no %s in %s", want, svg)
		}
	}
}

func TestQuantity(t *testing.T) {
	for _, c := range []struct {
		v    int64
		s    int8
		u    string
		want string
	}{{425, 2, "Cel", "4.25 °C"}, {-5, 2, "Cel", "-0.05 °C"}, {7, 0, "", "7"}, {12, -3, "W", "12000 W"}, {100, 1, "%", "10.0 %"}} {
		if got := Quantity(c.v, c.s, c.u); got != c.want {
			t.Errorf("Quantity(%d, %d, %q) = %q, want %q", c.v, c.s, c.u, got, c.want)
		}
	}
}
