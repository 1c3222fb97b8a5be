package testenv

import (
	"flag"
	"strconv"
)

// Parallel is how many tests that called t.Parallel RaiseParallel lets run
// at once.
const Parallel = 8

// RaiseParallel lets Parallel tests that called t.Parallel run at once, unless
// the command line said how many (-parallel). The default, GOMAXPROCS, suits
// tests that compute; an end-to-end test mostly waits (for the emulator's
// socket, a sweep, a queue draining at its rate), so on two cores two at a time
// would leave them idle. Call it from TestMain before m.Run.
func RaiseParallel() {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(Parallel))
	}
}
