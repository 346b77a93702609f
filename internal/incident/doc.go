// Package incident keeps a durable record of every excursion from L0:
// its timeline, the plan's success metrics, its checklists and who
// acknowledged it.
//
// A Recorder is an event.Sink. Emit only queues; one writer goroutine,
// owned by Run, applies the events in order, each in a committed SQLite
// transaction, so a record survives a crash and a restart:
//
//   - a level.changed from L0 opens an incident, with the trigger.fired
//     events of the minute before it first on the timeline (the engine
//     emits them just before the level change);
//   - every event while an incident is open is appended to its timeline;
//   - the level.changed back to L0 closes it;
//   - events while no incident is open are not stored.
//
// An incident left open by an earlier run stays open and keeps recording.
// If the engine leaves L0 again while one is still open (its return to L0
// was lost in a crash), the old one is closed and a new one opened.
//
// Metrics are not stored: they are measured from the timeline each time
// an incident is read, so they always agree with it (see measure.go for
// the rules). Checklist items that automation performed are ticked in the
// same transaction as the entry that performed them, citing its Seq (see
// autoTick for the rules); people tick the rest with Tick.
package incident
