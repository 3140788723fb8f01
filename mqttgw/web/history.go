package web

import (
	"slices"
	"sync"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/reading"
)

// Point is one acknowledged reading as a chart draws it.
type Point struct {
	ID      canon.Digest
	Seq     uint64
	Time    time.Time
	Topic   string
	Sensor  string
	Unit    string
	Value   int64
	Scale   int8
	Private bool // the reading carries a commitment, not a value
}

// Float returns the point's value as a number (Value × 10^−Scale).
func (p Point) Float() float64 {
	v := float64(p.Value)
	for s := p.Scale; s > 0; s-- {
		v /= 10
	}
	for s := p.Scale; s < 0; s++ {
		v *= 10
	}
	return v
}

// History keeps the most recent acknowledged readings of the most recently
// active devices, in memory and bounded, for the audit page's charts. Feed
// it from mqttgw.Config.OnAccept. Safe for concurrent use.
type History struct {
	mu        sync.Mutex
	maxDev    int
	perDevice int
	series    map[string]*series
}

type series struct {
	points   []entry // ring
	next     int
	lastSeen time.Time
}

// entry is a recorded reading; its Point's ID is computed when it is read
// out (Points, Devices), which happens far less often than Record.
type entry struct {
	p Point
	r reading.Reading
}

func (e entry) point() Point {
	p := e.p
	p.ID, _ = e.r.ID() // a reading the gateway acknowledged has one
	return p
}

// NewHistory returns a History of at most devices devices (default 1024)
// and perDevice readings each (default 720).
func NewHistory(devices, perDevice int) *History {
	if devices <= 0 {
		devices = 1024
	}
	if perDevice <= 0 {
		perDevice = 720
	}
	return &History{maxDev: devices, perDevice: perDevice, series: map[string]*series{}}
}

// Record adds an acknowledged reading.
func (h *History) Record(s reading.Signed) {
	e := entry{r: s.Reading, p: Point{Seq: s.Seq, Time: s.Time, Topic: s.Topic, Sensor: s.Sensor, Unit: s.Unit,
		Value: s.Value, Scale: s.Scale, Private: s.Commitment != nil}}
	h.mu.Lock()
	defer h.mu.Unlock()
	sr := h.series[s.Device]
	if sr == nil {
		if len(h.series) >= h.maxDev {
			var oldest string
			var t time.Time
			for d, x := range h.series {
				if oldest == "" || x.lastSeen.Before(t) {
					oldest, t = d, x.lastSeen
				}
			}
			delete(h.series, oldest)
		}
		sr = &series{}
		h.series[s.Device] = sr
	}
	sr.lastSeen = time.Now()
	if len(sr.points) < h.perDevice {
		sr.points = append(sr.points, e)
		return
	}
	sr.points[sr.next] = e
	sr.next = (sr.next + 1) % h.perDevice
}

// DeviceSummary describes a device's recent readings.
type DeviceSummary struct {
	Device   string
	Readings int
	Last     Point
}

// Devices lists the devices with recent readings, most recently active
// first.
func (h *History) Devices() []DeviceSummary {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]DeviceSummary, 0, len(h.series))
	for d, sr := range h.series {
		last := sr.points[(sr.next+len(sr.points)-1)%len(sr.points)]
		out = append(out, DeviceSummary{Device: d, Readings: len(sr.points), Last: last.point()})
	}
	slices.SortFunc(out, func(a, b DeviceSummary) int {
		if c := b.Last.Time.Compare(a.Last.Time); c != 0 {
			return c
		}
		return compareStrings(a.Device, b.Device)
	})
	return out
}

// Points returns a device's recent readings, oldest first by time.
func (h *History) Points(device string) []Point {
	h.mu.Lock()
	sr := h.series[device]
	var es []entry
	if sr != nil {
		es = append(append(es, sr.points[sr.next:]...), sr.points[:sr.next]...)
	}
	h.mu.Unlock()
	out := make([]Point, len(es))
	for i, e := range es {
		out[i] = e.point()
	}
	slices.SortStableFunc(out, func(a, b Point) int { return a.Time.Compare(b.Time) })
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
