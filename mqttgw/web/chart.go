package web

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/iotrust/iotrust/batch"
)

// Band is the range a sensor's values should stay in, drawn on its charts:
// e.g. {Sensor: "temperature", Unit: "Cel", Lo: 2, Hi: 8} for a cold chain.
type Band struct {
	Sensor string
	Unit   string
	Lo, Hi float64
}

const (
	chartW, chartH         = 860, 280
	padL, padR, padT, padB = 56, 16, 28, 36
)

// Chart renders, as SVG, one sensor's readings of a device over time with
// the batches' boundaries (dashed lines where a batch's window ends, with
// its number) and anchor times (triangles on the top edge) marked, and,
// when band applies to the readings' sensor and unit, the band with the
// readings outside it in red. Readings of a private sensor carry no value:
// they are drawn as ticks on a shaded span saying only that committed
// values exist there. points must share one sensor and unit, oldest first.
func Chart(points []Point, batches []batch.BatchInfo, band *Band) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="sans-serif" font-size="11">`, chartW, chartH, chartW, chartH)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>`)
	if len(points) == 0 {
		b.WriteString(`<text x="20" y="40">no readings yet</text></svg>`)
		return b.Bytes()
	}
	t0, t1 := points[0].Time, points[len(points)-1].Time
	if !t1.After(t0) {
		t0, t1 = t0.Add(-time.Second), t1.Add(time.Second)
	}
	span := float64(t1.Sub(t0))
	x := func(t time.Time) float64 {
		return padL + (chartW-padL-padR)*float64(t.Sub(t0))/span
	}
	private := points[0].Private
	lo, hi := math.Inf(1), math.Inf(-1)
	if !private {
		for _, p := range points {
			v := p.Float()
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	useBand := band != nil && !private && band.Sensor == points[0].Sensor && band.Unit == points[0].Unit
	if useBand {
		lo, hi = math.Min(lo, band.Lo), math.Max(hi, band.Hi)
	}
	if private || hi <= lo {
		lo, hi = lo-1, hi+1
		if private {
			lo, hi = 0, 1
		}
	}
	m := (hi - lo) * 0.1
	lo, hi = lo-m, hi+m
	y := func(v float64) float64 {
		return padT + (chartH-padT-padB)*(hi-v)/(hi-lo)
	}
	plotB := float64(chartH - padB)
	// Frame and time axis.
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`, padL, padT, chartW-padL-padR, chartH-padT-padB)
	layout := "15:04:05"
	if span < float64(20*time.Second) {
		layout = "15:04:05.000"
	}
	for i := 0; i <= 4; i++ {
		t := t0.Add(time.Duration(float64(i) / 4 * span))
		anchor := "middle"
		if i == 4 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" fill="#444">%s</text>`, x(t), chartH-padB+16, anchor, t.UTC().Format(layout))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#444">UTC</text>`, chartW-padR-22, chartH-4)
	if useBand {
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="#d9f2d9"><title>band %g–%g %s</title></rect>`,
			padL, y(band.Hi), chartW-padL-padR, y(band.Lo)-y(band.Hi), band.Lo, band.Hi, html.EscapeString(band.Unit))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" fill="#2a7a2a">band %g–%g %s</text>`, padL+4, y(band.Hi)-3, band.Lo, band.Hi, html.EscapeString(unitLabel(band.Unit)))
	}
	if !private {
		for i := 0; i <= 4; i++ {
			v := lo + (hi-lo)*float64(i)/4
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="#444">%.2f</text>`, padL-4, y(v)+4, v)
		}
	}
	// Batches: where each window ends, and when it was anchored.
	for _, bi := range batches {
		c := bi.Commitment
		if c.WindowEnd.Before(t0) || c.WindowStart.After(t1) {
			continue
		}
		if !c.WindowEnd.After(t1) {
			xe := x(c.WindowEnd)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#7a7aa8" stroke-dasharray="4 3" class="batch"><title>batch #%d: %d readings, %s</title></line>`,
				xe, padT, xe, plotB, bi.Number, c.Count, html.EscapeString(c.Root.String()))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#7a7aa8" text-anchor="middle">#%d</text>`, xe, padT-14, bi.Number)
		}
		for _, r := range bi.Receipts {
			if r.Time.Before(t0) || r.Time.After(t1) {
				continue
			}
			xa := x(r.Time)
			fmt.Fprintf(&b, `<path d="M%.1f %d l-5 -8 h10 z" fill="#1f5fbf" class="anchor"><title>batch #%d anchored on %s at %s (%s)</title></path>`,
				xa, padT, bi.Number, html.EscapeString(r.Ledger), r.Time.UTC().Format(time.RFC3339), r.State)
		}
	}
	if private {
		xs, xe := x(points[0].Time), x(points[len(points)-1].Time)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#ece4f7"/>`, xs, y(0.75), math.Max(xe-xs, 2), y(0.25)-y(0.75))
		for _, p := range points {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#6b3fa0"/>`, x(p.Time), y(0.6), x(p.Time), y(0.4))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#6b3fa0">%d private readings: values committed, not shown; a range proof can cover this span</text>`,
			xs+4, y(0.75)-4, len(points))
		b.WriteString(`</svg>`)
		return b.Bytes()
	}
	b.WriteString(`<polyline fill="none" stroke="#333" stroke-width="1.2" points="`)
	for _, p := range points {
		fmt.Fprintf(&b, "%.1f,%.1f ", x(p.Time), y(p.Float()))
	}
	b.WriteString(`"/>`)
	for _, p := range points {
		v := p.Float()
		if useBand && (v < band.Lo || v > band.Hi) {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="#c62828" class="out"><title>%s: %g %s, outside the band</title></circle>`,
				x(p.Time), y(v), p.Time.UTC().Format(time.RFC3339Nano), v, html.EscapeString(p.Unit))
		}
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// unitLabel shows a UCUM unit code as people write it.
func unitLabel(u string) string {
	switch u {
	case "Cel":
		return "°C"
	case "%":
		return "%"
	}
	return u
}

// Quantity formats a reading's value, Value × 10^−Scale, with its unit.
func Quantity(value int64, scale int8, unit string) string {
	v := strconv.FormatInt(value, 10)
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	switch {
	case scale > 0:
		for len(v) <= int(scale) {
			v = "0" + v
		}
		v = v[:len(v)-int(scale)] + "." + v[len(v)-int(scale):]
	case scale < 0:
		v += strings.Repeat("0", int(-scale))
	}
	if neg {
		v = "-" + v
	}
	if unit != "" {
		v += " " + unitLabel(unit)
	}
	return v
}
