package signal

import (
	"context"
	"fmt"
	"time"
)

// CommandCheckSource is an integrity check by command. See CommandCheck.
type CommandCheckSource struct{ cmd command }

// CommandCheck runs argv (no shell; see Command) under timeout
// (DefaultTimeout when 0) as an integrity check: exit status 0 passes
// (Value 0), anything else, including a timeout or a program that cannot
// start, fails (Value 1). The reading is always valid unless ctx was
// cancelled by the caller.
func CommandCheck(argv []string, timeout time.Duration) (*CommandCheckSource, error) {
	c, err := newCommand(argv, timeout)
	if err != nil {
		return nil, err
	}
	return &CommandCheckSource{cmd: c}, nil
}

// Read implements Source.
func (s *CommandCheckSource) Read(ctx context.Context, _ time.Time) Reading {
	res := s.cmd.run(ctx)
	if res.err == nil {
		return passed(s.cmd.name() + " exited 0")
	}
	return failed(ctx, fmt.Errorf("%w: %s: %w%s", ErrCheckFailed, s.cmd.name(), res.err, tail(res.stderr)))
}
