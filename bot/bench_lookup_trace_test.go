package bot_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// awsCalls collects the AWS calls the bots make (bottest.Options.AWSCalls),
// so a benchmark can say where a lookup's time went on the wire.
type awsCalls struct {
	mu    sync.Mutex
	calls []bottest.AWSCall
}

func (c *awsCalls) add(call bottest.AWSCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
}

// between returns the calls started in [from, to), in the order they started.
func (c *awsCalls) between(from, to time.Time) []bottest.AWSCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []bottest.AWSCall
	for _, call := range c.calls {
		if !call.Start.Before(from) && call.Start.Before(to) {
			out = append(out, call)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// lookupTrace is the AWS calls of one lookup, from its envelope's sending to
// its answer.
type lookupTrace struct {
	sent, answered time.Time
	calls          []bottest.AWSCall
}

// shape names the calls in order: lookups that made the same calls have the same shape.
func (t lookupTrace) shape() string {
	ops := make([]string, len(t.calls))
	for i, c := range t.calls {
		ops[i] = shortOp(c.Operation)
	}
	return strings.Join(ops, " ")
}

// String lists each call with when it started after the envelope was sent
// and how long it took, then the answer's time.
func (t lookupTrace) String() string {
	var b strings.Builder
	for i, c := range t.calls {
		fmt.Fprintf(&b, "\n  %2d. +%-8s %-24s %s", i+1, c.Start.Sub(t.sent).Round(10*time.Microsecond),
			shortOp(c.Operation), c.Took.Round(10*time.Microsecond))
	}
	fmt.Fprintf(&b, "\n      +%-8s answer posted", t.answered.Sub(t.sent).Round(10*time.Microsecond))
	return b.String()
}

// shortOp drops the service prefix of an X-Amz-Target.
func shortOp(target string) string {
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		return target[i+1:]
	}
	return target
}

// medianTrace is the trace of the median lookup among those of the most
// common shape, with how many lookups had that shape.
func medianTrace(traces []lookupTrace) (lookupTrace, int) {
	byShape := map[string][]lookupTrace{}
	common := ""
	for _, t := range traces {
		s := t.shape()
		byShape[s] = append(byShape[s], t)
		if len(byShape[s]) > len(byShape[common]) {
			common = s
		}
	}
	ts := byShape[common]
	if len(ts) == 0 {
		return lookupTrace{}, 0
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].answered.Sub(ts[i].sent) < ts[j].answered.Sub(ts[j].sent) })
	return ts[len(ts)/2], len(ts)
}

// perOperation counts calls by operation, with their median time, most frequent first.
func perOperation(calls []bottest.AWSCall) string {
	by := map[string][]time.Duration{}
	for _, c := range calls {
		op := shortOp(c.Operation)
		by[op] = append(by[op], c.Took)
	}
	ops := make([]string, 0, len(by))
	for op := range by {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool {
		return len(by[ops[i]]) > len(by[ops[j]]) || (len(by[ops[i]]) == len(by[ops[j]]) && ops[i] < ops[j])
	})
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = fmt.Sprintf("%s ×%d (p50 %s)", op, len(by[op]), pct(by[op], 50).Round(10*time.Microsecond))
	}
	return strings.Join(parts, ", ")
}
