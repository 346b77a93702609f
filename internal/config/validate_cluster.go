package config

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
)

// cluster checks the cluster section with the cluster package's own rules,
// so the file and a Member cannot disagree on what is valid. Its errors
// name the field under "cluster".
func (c *checker) cluster(s cluster.Settings) {
	if err := s.Validate(); err != nil {
		c.errs = append(c.errs, fmt.Errorf("%w: cluster: %w", ErrInvalid, err))
	}
}
