package awsdir

import "github.com/cognito-bot/cognito-bot/cognito/quota"

// clock is the time source of the Directory's limiters and caches,
// injectable for tests: the quota package's.
type clock = quota.Clock

func realClock() *clock { return quota.RealClock() }
