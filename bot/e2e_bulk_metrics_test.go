package bot_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// jobWatcher is an Observer that keeps only what bulk jobs report.
type jobWatcher struct {
	mu       sync.Mutex
	progress map[string][4]int // job → total, done, failed, skipped, as last reported
	ended    []string
}

func (*jobWatcher) EnvelopeReceived(string) {}
func (*jobWatcher) Acked(time.Duration)     {}
func (*jobWatcher) QueueDepth(int)          {}
func (*jobWatcher) Turned(string)           {}
func (*jobWatcher) StepDone(string, string) {}
func (*jobWatcher) Heartbeat()              {}
func (*jobWatcher) Connected(bool)          {}

func (w *jobWatcher) BulkProgress(job string, total, done, failed, skipped int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.progress[job] = [4]int{total, done, failed, skipped}
}

func (w *jobWatcher) BulkDone(job string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ended = append(w.ended, job)
}

// The bulk_job_items metric operators alert on is fed by the job's progress, and a
// finished job says so, so its series do not linger.
func TestBulkJobReportsItsProgressAndEndToTheObserver(t *testing.T) {
	t.Parallel()
	w := &jobWatcher{progress: map[string][4]int{}}
	h := bottest.New(t, &bottest.Options{Observer: w, Configure: fastQuotas})
	var names []string
	for i := range 5 {
		name := fmt.Sprintf("gauge%02d", i)
		h.CreateUser(name, name+"@example.com")
		names = append(names, name)
	}
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	resultsCSV(t, h)

	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.progress) != 1 {
		t.Fatalf("progress reported for %d jobs, want 1: %v", len(w.progress), w.progress)
	}
	for job, counts := range w.progress {
		if counts[0] != 5 {
			t.Errorf("job %s reported a total of %d, want 5", job, counts[0])
		}
		if len(w.ended) != 1 || w.ended[0] != job {
			t.Errorf("ended jobs %v, want [%s]", w.ended, job)
		}
	}
}
