package exports

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// spool is a temporary file a long result (an export) is written to row by
// row and uploaded from, so the bot's memory does not grow with the pool. It
// lives in os.TempDir() — TMPDIR; the Kubernetes manifests point it at an
// emptyDir — and is removed once sent or abandoned.
type spool struct {
	f *os.File
	w *bufio.Writer
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "cognito-bot-export-*.csv")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// contents flushes what was written and returns a reader from its start and
// its size.
func (s *spool) contents() (io.Reader, int, error) {
	if err := s.w.Flush(); err != nil {
		return nil, 0, err
	}
	size, err := s.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	if size == 0 {
		return nil, 0, fmt.Errorf("the export is empty")
	}
	return io.LimitReader(s.f, size), int(size), nil
}

// remove closes and deletes the file.
func (s *spool) remove() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}
