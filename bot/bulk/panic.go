package bulk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
)

// errInternal is a target's failure after its operation panicked: the target
// fails with "internal error (ref X)", the panic and its stack are logged
// under the same ref, and the job goes on. Unrecovered, the panic would crash
// the replica, and every replica in turn as each took the job over.
type errInternal struct{ ref string }

func (e errInternal) Error() string { return "internal error (ref " + e.ref + ")" }

// runOp runs the job's operation on one target (run: JobOp.Run or Resume),
// turning a panic into errInternal. The pipeline then records it as the
// target's outcome, so its audit intent is closed like any other failure.
func (t *turn) runOp(target audit.JobTarget, run func() (pipeline.Result, string, error)) (res pipeline.Result, skip string, err error) {
	defer func() {
		if p := recover(); p != nil {
			e := errInternal{ref: newRef()}
			t.log.Error("panic in a bulk target", zap.String("ref", e.ref), zap.Int("target", target.Index),
				zap.String("panic", fmt.Sprint(p)), zap.String("stack", string(debug.Stack())))
			res, skip, err = pipeline.Result{}, "", e
		}
	}()
	return run()
}

// recoverTarget, deferred around a target's whole handling, keeps a panic
// outside its operation (in claiming or settling) from crashing the replica:
// it is logged and the job pauses; the runner that resumes it settles the
// target from its audit entry (an open intent is "outcome unknown", never run
// twice).
func (t *turn) recoverTarget(target audit.JobTarget) {
	if p := recover(); p != nil {
		ref := newRef()
		t.log.Error("panic handling a bulk target", zap.String("ref", ref), zap.Int("target", target.Index),
			zap.String("panic", fmt.Sprint(p)), zap.String("stack", string(debug.Stack())))
		t.pauseFor("internal error (ref " + ref + ")")
	}
}

// runWholeOp runs a whole job's work, turning a panic into errInternal: the
// job then fails like any other failed work, and the attempt's audit intent,
// if the panic left it open, is closed as unknown. Unrecovered, the panic
// would crash the replica, and every replica in turn as each took the job
// over.
func (r *Runner) runWholeOp(ctx context.Context, op WholeOp, job audit.Job, a Attempt, log *zap.Logger) (summary string, err error) {
	defer func() {
		if p := recover(); p != nil {
			e := errInternal{ref: newRef()}
			log.Error("panic in a whole job", zap.String("ref", e.ref), zap.String("panic", fmt.Sprint(p)), zap.String("stack", string(debug.Stack())))
			if _, cerr := r.c.Pipeline.CloseAbandoned(context.WithoutCancel(ctx), a.AuditID, "the work stopped on "+e.Error()); cerr != nil {
				log.Warn("closing the intent of a whole job that panicked", zap.Error(cerr))
			}
			summary, err = "", e
		}
	}()
	return op.Run(ctx, job, a)
}

// newRef is a short random id tying what a person is told to the log line.
func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
