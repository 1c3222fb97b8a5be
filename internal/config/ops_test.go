package config

import (
	"testing"
	"time"
)

func TestOpsDefaultsAndListenAddress(t *testing.T) {
	var c Config
	c.ApplyDefaults()
	if c.Ops.ShutdownTimeout.Std() != 25*time.Second || c.Ops.Listen != "" {
		t.Fatalf("defaults: %+v, want a 25s drain and no listener", c.Ops)
	}
	var p Problems
	c.validateOps(&p)
	if len(p) != 0 {
		t.Fatalf("defaults rejected: %v", p)
	}
	for addr, ok := range map[string]bool{":9090": true, "127.0.0.1:9090": true, "9090": false, "localhost": false} {
		c.Ops.Listen = addr
		var p Problems
		c.validateOps(&p)
		if got := !p.has("ops.listen"); got != ok {
			t.Errorf("listen %q accepted=%v, want %v", addr, got, ok)
		}
	}
	c.Ops.Listen, c.Ops.ShutdownTimeout = "", Duration(-time.Second)
	p = nil
	c.validateOps(&p)
	if !p.has("ops.shutdown_timeout") {
		t.Error("a negative shutdown timeout was accepted")
	}
}
