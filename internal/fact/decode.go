package fact

import "encoding/json"

// decoders turn an event's fields, encoded as JSON, back into its fact,
// by kind.
var decoders = map[string]func(raw []byte) (Fact, error){
	KindLevelChanged:      as[LevelChanged],
	KindTriggerFired:      as[TriggerFired],
	KindTriggerCleared:    as[TriggerCleared],
	KindActionRan:         as[ActionRan],
	KindActionFailed:      as[ActionFailed],
	KindFallbackVerified:  as[FallbackVerified],
	KindFallbackUnhealthy: as[FallbackUnhealthy],
	KindRollback:          rollback,
	KindRestoreWaiting:    as[RestoreWaiting],
	KindRestoreStep:       as[RestoreStep],
	KindRestoreFailed:     as[RestoreFailed],
	KindRestoreDone:       as[RestoreCompleted],
	KindDecision:          decision,
	KindControl:           as[Control],
	KindStateSaveFailed:   as[StateSaveFailed],
	KindForeignState:      as[ForeignState],
	KindAcked:             as[Acked],
	KindTicked:            as[Ticked],
	KindArtifact:          as[Artifact],
	KindClosed:            as[Closed],
	KindNotifySent:        as[NotifySent],
	KindNotifyFailed:      as[NotifyFailed],
	KindHealthChanged:     as[HealthChanged],
	KindBreakerChanged:    as[BreakerChanged],
	KindRoutingChanged:    as[RoutingChanged],
	KindFaultSet:          as[FaultSet],
}

// Decode reads an event's kind and fields back into its fact. Fields may
// hold the emitters' own values or what they read back as from JSON
// (numbers as float64, structs as maps). It reports false for a kind
// that has no fact, or fields that do not fit it.
func Decode(kind string, fields map[string]any) (Fact, bool) {
	dec, ok := decoders[kind]
	if !ok {
		return nil, false
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, false
	}
	f, err := dec(raw)
	return f, err == nil
}

func as[F Fact](raw []byte) (Fact, error) {
	var f F
	err := json.Unmarshal(raw, &f)
	return f, err
}

// rollback reads the verdict from the fields: a failed verification is
// the only one that carries an error.
func rollback(raw []byte) (Fact, error) {
	var f RollbackResult
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	f.Verdict = RollbackSuccessful
	if f.Error != "" {
		f.Verdict = RollbackFailed
	}
	return f, nil
}

// decision tells the engine's decisions apart by the fields they carry.
func decision(raw []byte) (Fact, error) {
	var probe struct {
		Mode      *string `json:"mode"`
		PrimaryUp *bool   `json:"primary_up"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	switch {
	case probe.Mode != nil:
		return as[RouteDecision](raw)
	case probe.PrimaryUp != nil:
		return as[StartDecision](raw)
	}
	return Decision{}, nil
}

// readAs reads v, an engine's evidence as emitted or as read back from
// JSON, into the view out.
func readAs(v, out any) {
	if raw, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(raw, out) // a value that does not fit leaves out zero, as the readers want
	}
}
