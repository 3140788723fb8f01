package web_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/mqttgw/web"
)

// A cold-chain sensor's readings drawn against their 2–8 °C band: the
// readings outside it are marked.
func ExampleChart() {
	t0 := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	var pts []web.Point
	for i, centi := range []int64{450, 520, 860, 910, 640, 480} {
		pts = append(pts, web.Point{Time: t0.Add(time.Duration(i) * time.Minute), Sensor: "temperature", Unit: "Cel", Value: centi, Scale: 2})
	}
	svg := web.Chart(pts, nil, &web.Band{Sensor: "temperature", Unit: "Cel", Lo: 2, Hi: 8})
	fmt.Println(bytes.HasPrefix(svg, []byte("<svg")))
	fmt.Println("outside the band:", bytes.Count(svg, []byte(`class="out"`)))
	fmt.Println(web.Quantity(pts[2].Value, pts[2].Scale, pts[2].Unit))
	// Output:
	// true
	// outside the band: 2
	// 8.60 °C
}
