package mqttgw

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestBrokerLogQuietOnConnectionEnd(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		l := slog.New(brokerLog{slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})})
		l.Warn("", "error", errors.New("use of closed network connection"))
		l.Warn("listener failed", "error", "boom")
		out := buf.String()
		if !strings.Contains(out, "level=WARN msg=\"listener failed\"") {
			t.Errorf("level %v: a named warning was lost: %q", level, out)
		}
		if strings.Contains(out, `msg=""`) {
			t.Errorf("level %v: an unnamed warning got through: %q", level, out)
		}
		ended := strings.Contains(out, `level=DEBUG msg="device connection ended" error="use of closed network connection"`)
		if ended != (level == slog.LevelDebug) {
			t.Errorf("level %v: connection-ended debug record present=%v: %q", level, ended, out)
		}
	}
}
