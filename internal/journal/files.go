package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The files beside a journal that belong to it: what the observer saw of
// the primary's sessions (by default), and the uploads kept until replayed.
const (
	seenSuffix    = ".sessions"
	uploadsSuffix = ".uploads"
)

// Move moves the journal at from, with the files beside it that belong
// to it, to to, as when a journal is set aside for a person to replay
// elsewhere. A file that does not exist is not an error. The journal must
// not be open.
func Move(from, to string) error {
	for _, suffix := range []string{"", seenSuffix, uploadsSuffix} {
		if err := os.Rename(from+suffix, to+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}
