// Package report renders incidents and analyses for people: the plan's
// generate_incident_report as Markdown or JSON, a chart of the client's
// latency and error rate as SVG, and the plan's
// analyze_performance_degradation comparing a window with its baseline.
//
// Rendering is pure: everything comes from the arguments, nothing is read
// from disk or the clock, so the same incident always renders the same.
package report
