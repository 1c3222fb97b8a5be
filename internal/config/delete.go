package config

import "time"

// DefaultUndoWindow is how long a deleted user waits, disabled and signed out,
// before the deletion is final: long enough to undo a weekend's mistake.
const DefaultUndoWindow = Duration(72 * time.Hour)

// MaxUndoWindow bounds the undo window: a user kept disabled for longer is an
// offboarding to schedule, not a deletion to undo.
const MaxUndoWindow = Duration(90 * 24 * time.Hour)

// Delete holds the settings of the delete action.
type Delete struct {
	// UndoWindow is how long after a delete the user can still be restored
	// with undo: delete disables them and signs them out at once, keeps a
	// snapshot, and deletes them for good when the window ends. 0 deletes at
	// once, as `delete --now` does.
	UndoWindow Duration `yaml:"undo_window"`
}

func (c *Config) validateDelete(p *Problems) {
	switch w := c.Delete.UndoWindow; {
	case w < 0:
		p.add("delete.undo_window", "must be 0 (delete at once) or a positive duration such as 72h")
	case w > MaxUndoWindow:
		p.add("delete.undo_window", "%s is longer than the %s a deletion may wait", w.Std(), MaxUndoWindow.Std())
	}
}
