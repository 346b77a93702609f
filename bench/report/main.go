// Command report turns bench/measure's raw samples into bench/RESULTS.md:
// the median and range of every figure per target, ratios to the direct
// backend and to nginx, and a PASS/FAIL line per target of issue 7.
//
// Ratios and added latencies are computed within each round (target over
// the direct backend of the same round) and only then summarised, so slow
// drift of a shared machine cancels out.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	in := flag.String("in", "results.json", "raw samples written by bench/measure")
	out := flag.String("out", "RESULTS.md", "Markdown file to write")
	mode := flag.String("mode", "full", "run mode shown in the file (full or smoke)")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var res Results
	if err := json.Unmarshal(data, &res); err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	t := summarise(res)
	checks := evaluate(t)
	var b strings.Builder
	writeMarkdown(&b, res, t, checks, *mode)
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	for _, c := range checks {
		fmt.Printf("%-4s %s: %s\n", c.verdict(), c.Name, c.Detail)
	}
	fmt.Printf("wrote %s\n", *out)
}
