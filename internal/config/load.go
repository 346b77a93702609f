package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// ErrParse marks a file that is not valid YAML for Config, including one
// with unknown keys.
var ErrParse = errors.New("config: cannot parse")

// Load reads a YAML file over the defaults and validates the result.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return Parse(data)
}

// Parse decodes YAML over the defaults and validates the result. Keys the
// file does not mention keep their defaults; unknown keys are errors, so a
// typo never silently falls back to a default.
//
// A plain number where a duration is expected is a number of seconds, the
// plan's own unit (see numbers.go).
func Parse(data []byte) (Config, error) {
	cfg, err := decode(data)
	if errors.Is(err, ErrParse) {
		return Config{}, err
	}
	if err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrParse, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// decodeStrict decodes the one YAML document in data over cfg. A second
// document is an error: the decoder would otherwise ignore it, even when it
// is malformed, and the operator's settings in it would silently not apply.
func decodeStrict(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // An empty file keeps every default.
		}
		return err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	default:
		return fmt.Errorf("line %d: a second YAML document; the file must hold one", next.Line)
	}
}

// AdminToken returns the effective admin token: the file's, else the
// environment variable's named by TokenEnv.
func (c Config) AdminToken() Secret {
	if c.Admin.Token != "" {
		return c.Admin.Token
	}
	if c.Admin.TokenEnv != "" {
		return Secret(os.Getenv(c.Admin.TokenEnv))
	}
	return ""
}
