// Package action runs the operator's configured actions: built-in gateway
// operations, external commands and HTTP calls, so the plan's
// `docker compose ... --scale`, `kubectl patch ...`, `nginx -s reload` and
// alert webhooks plug in as configuration.
//
// Every action is bounded by a timeout and recorded as a Result. An action
// that fails is reported in its Result and never stops the caller: Run does
// not panic and RunAll runs every action in order whatever the previous ones
// did. The package never logs; callers turn Results into events.
//
// Commands are argv lists and no shell is involved, so nothing from the
// action Context can be interpreted as shell syntax. The Context reaches a
// command as LIFEBOAT_* environment variables and an HTTP action as template
// fields in its URL, header values and body.
package action
