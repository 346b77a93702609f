package config

import "github.com/lifeboat-sre/lifeboat/internal/secret"

// Secret is secret.Secret, under the name the file's types and their users
// have always spelt it.
type Secret = secret.Secret

// redacted stands in for a set secret wherever one is printed or marshalled.
const redacted = secret.Redacted
