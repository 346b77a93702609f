// Package trigger turns signal readings into alert states with hysteresis,
// the way Prometheus alerting rules do with "for" and "keep_firing_for".
//
// A Rule compares one signal.Source with a threshold. Its trigger walks
// inactive -> pending (the condition holds) -> firing (it held For) ->
// resolving (it stopped holding) -> inactive (it stayed false ClearFor).
// A pending trigger whose condition turns false drops back to inactive, and
// a resolving one whose condition returns goes back to firing, so neither a
// single bad reading nor a single good one changes what the trigger says.
//
// Invalid readings (too little traffic, an unreachable metrics endpoint)
// leave the state exactly as it is: a trigger neither fires nor clears for
// lack of data, and its For and ClearFor clocks keep counting from the
// last valid reading that started them.
//
// Time comes only from the now passed to Set.Evaluate, so the engine owns
// the clock and tests are plain tables of explicit times. The package never
// logs: every state change is returned from Evaluate as a Transition that
// carries its evidence.
package trigger
