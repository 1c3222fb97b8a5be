package config

import (
	"net"
	"time"
)

// DefaultShutdownTimeout is how long a stopping bot lets in-flight actions finish.
// It stays under Kubernetes' default 30 s grace period, so a pod is never killed
// between an audited intent and its outcome.
const DefaultShutdownTimeout = Duration(25 * time.Second)

// Ops holds what an operator needs to run the bot as a service: where metrics and
// health checks are served and how long a drain may take.
type Ops struct {
	// Listen is the address (host:port, e.g. ":9090") serving /metrics, /healthz and
	// /readyz. Empty (the default) serves nothing, which suits a bot run by hand.
	Listen string `yaml:"listen,omitempty"`
	// ShutdownTimeout bounds the drain after SIGTERM: in-flight actions still
	// running after it are abandoned and logged. Keep it below the pod's
	// terminationGracePeriodSeconds.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
}

func (c *Config) applyOpsDefaults(unset func(key string, zero bool) bool) {
	if unset("ops.shutdown_timeout", c.Ops.ShutdownTimeout == 0) {
		c.Ops.ShutdownTimeout = DefaultShutdownTimeout
	}
}

func (c *Config) validateOps(p *Problems) {
	positive(p, "ops.shutdown_timeout", c.Ops.ShutdownTimeout)
	if c.Ops.Listen != "" {
		if _, port, err := net.SplitHostPort(c.Ops.Listen); err != nil || port == "" {
			p.add("ops.listen", "%q is not a listen address; use host:port such as :9090 or 127.0.0.1:9090", c.Ops.Listen)
		}
	}
}
