package bulk

import (
	"context"
	"fmt"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
)

func TestThrottlingHalvesTheRateAndSuccessesRestoreIt(t *testing.T) {
	l := NewLimits(fastQuotas(20), 0.2) // 20/s configured, 16/s for jobs
	if got := l.Rate("UserUpdate"); got != 16 {
		t.Fatalf("job rate %v; want 16 (20 less the 20 %% interactive reserve)", got)
	}
	tries := 0
	err := l.call(context.Background(), "UserUpdate", func() error {
		tries++
		if tries <= 2 {
			return fmt.Errorf("x: %w", cognito.ErrThrottled)
		}
		return nil
	})
	if err != nil || tries != 3 {
		t.Fatalf("call = %v after %d tries; want success on the third", err, tries)
	}
	if got := l.Rate("UserUpdate"); got != 4+0.8 {
		t.Fatalf("rate after two throttles and a success %v; want 16/2/2 + 16/20", got)
	}
	for range 20 {
		l.of("UserUpdate").succeeded()
	}
	if got := l.Rate("UserUpdate"); got != 16 {
		t.Fatalf("rate after recovery %v; want back at the 16 ceiling", got)
	}
}
