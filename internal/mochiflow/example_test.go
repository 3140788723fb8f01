package mochiflow_test

import (
	"fmt"
	"log/slog"

	mqtt "github.com/mochi-mqtt/server/v2"

	"github.com/iotrust/iotrust/internal/mochiflow"
)

// A broker built on mochi adds the hook next to its own, before it serves.
func Example() {
	srv := mqtt.New(&mqtt.Options{Logger: slog.New(slog.DiscardHandler)})
	h := new(mochiflow.NoSendQuota)
	if err := srv.AddHook(h, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.ID(), "acts on connect:", h.Provides(mqtt.OnConnect))
	// Output: iotrust-no-send-quota acts on connect: true
}
