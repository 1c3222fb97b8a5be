package bottest

import (
	"testing"

	"go.uber.org/goleak"
)

// leftBehind fails the test if, once every cleanup has run (this one is
// registered first, so it runs last), a goroutine started during the test is
// still running: a stopped bot must leave nothing behind that touches the
// stores, Slack or the logger. A goroutine outliving its test is also how a
// data race lands outside any test, failing the package without naming one.
// Idle keep-alive connections of the HTTP clients are not the bot's and are
// ignored.
func leftBehind(t testing.TB) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		err := goleak.Find(before,
			goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		)
		if err != nil {
			t.Errorf("goroutines outlived the test: %v", err)
		}
	})
}
