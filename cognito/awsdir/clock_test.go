package awsdir

import "github.com/cognito-bot/cognito-bot/internal/testenv"

// fakeClock is the tests' manual clock (testenv.ManualClock).
type fakeClock struct{ *testenv.ManualClock }

func newFakeClock() *fakeClock { return &fakeClock{testenv.NewManualClock()} }

func (c *fakeClock) clock() *clock { return &clock{Now: c.Now, Sleep: c.Sleep} }
