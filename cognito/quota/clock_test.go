package quota

import "github.com/cognito-bot/cognito-bot/internal/testenv"

// fakeClock is the tests' manual clock (testenv.ManualClock).
type fakeClock struct{ *testenv.ManualClock }

func newFakeClock() *fakeClock { return &fakeClock{testenv.NewManualClock()} }

func (c *fakeClock) clock() *Clock { return &Clock{Now: c.Now, Sleep: c.Sleep} }
