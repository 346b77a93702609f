package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var outageMarks = []Mark{
	{Time: at(125), Label: "L1 degraded"}, {Time: at(160), Label: "L2 <partial> & more"},
	{Time: at(200), Label: "L3 rollback"}, {Time: at(560), Label: "L0 restored"},
}

func renderOutage(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Chart(&buf, outage(600), at(0), at(600), outageMarks); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("REPORT_CHART_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "chart.svg"), buf.Bytes(), 0o644)
	}
	return buf.Bytes()
}

// element is what the test needs of an SVG element.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG decodes the whole document, failing on malformed XML.
func parseSVG(t *testing.T, doc []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out []element
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("malformed SVG: %v", err)
			}
			return out
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
		case xml.CharData:
			if len(out) > 0 {
				out[len(out)-1].text += string(tok)
			}
		}
	}
}

func TestChartIsWellFormedWithEveryPart(t *testing.T) {
	els := parseSVG(t, renderOutage(t))
	if els[0].name != "svg" || els[0].attrs["viewBox"] != "0 0 960 440" {
		t.Fatalf("root %+v", els[0])
	}
	count := map[string]int{}
	var texts []string
	for _, e := range els {
		count[e.name+"."+e.attrs["class"]]++
		if e.name == "text" {
			texts = append(texts, e.text)
		}
	}
	for _, class := range []string{"path.avg", "path.p99", "path.error-rate", "g.legend", "rect.frame"} {
		if count[class] != 1 {
			t.Errorf("%d %s, want 1", count[class], class)
		}
	}
	if count["line.mark"] != len(outageMarks) {
		t.Errorf("%d marks drawn, want %d", count["line.mark"], len(outageMarks))
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"latency (ms)", "error rate (%)", "14:04:00", "L2 <partial> & more", "p99 latency (ms)"} {
		if !strings.Contains(all, want) {
			t.Errorf("no text %q in %s", want, all)
		}
	}
}

func TestChartPointsScaleIntoThePlot(t *testing.T) {
	for _, e := range parseSVG(t, renderOutage(t)) {
		if e.name != "path" {
			continue
		}
		subpaths := strings.Count(e.attrs["d"], "M")
		if subpaths != 2 {
			t.Errorf("%s has %d subpaths, want 2 (the idle second breaks it)", e.attrs["class"], subpaths)
		}
		var highest float64 = chartH
		for _, pair := range strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(e.attrs["d"])) {
			x, y := xy(t, pair)
			if x < padL-0.05 || x > padL+plotW+0.05 || y < padT-0.05 || y > padT+plotH+0.05 {
				t.Fatalf("%s point %s outside the plot area", e.attrs["class"], pair)
			}
			highest = min(highest, y)
		}
		// Axes end on the first round number at or above the maximum, so
		// the tallest series on each axis reaches into the top fifth.
		if e.attrs["class"] != "avg" && highest > padT+plotH/5 {
			t.Errorf("%s peaks at y=%.1f, the axis is too tall", e.attrs["class"], highest)
		}
	}
}

func xy(t *testing.T, pair string) (float64, float64) {
	t.Helper()
	xs, ys, ok := strings.Cut(pair, ",")
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("bad point %q", pair)
	}
	return x, y
}

func TestChartLeavesOutMarksAndSamplesOutsideTheWindow(t *testing.T) {
	var buf bytes.Buffer
	if err := Chart(&buf, outage(600), at(100), at(250), outageMarks); err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, e := range parseSVG(t, buf.Bytes()) {
		if e.name == "line" && e.attrs["class"] == "mark" {
			marks++
		}
	}
	if marks != 3 {
		t.Errorf("%d marks, want the 3 inside 100s-250s", marks)
	}
}

func TestChartRejectsAnEmptyWindow(t *testing.T) {
	if err := Chart(&bytes.Buffer{}, nil, at(10), at(10), nil); !errors.Is(err, ErrBadWindow) {
		t.Errorf("got %v, want ErrBadWindow", err)
	}
}

func TestChartWithoutSamplesIsStillValid(t *testing.T) {
	var buf bytes.Buffer
	if err := Chart(&buf, nil, at(0), at(60), nil); err != nil {
		t.Fatal(err)
	}
	if els := parseSVG(t, buf.Bytes()); len(els) < 10 {
		t.Errorf("only %d elements in an empty chart", len(els))
	}
}

// TestChartRendersWithImageMagick converts the chart to PNG when a real
// ImageMagick is installed, which proves renderers accept it.
func TestChartRendersWithImageMagick(t *testing.T) {
	const convert = "/usr/bin/convert"
	out, err := exec.Command(convert, "-version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ImageMagick") {
		t.Skip("no real ImageMagick at " + convert)
	}
	dir := t.TempDir()
	svgPath, pngPath := filepath.Join(dir, "chart.svg"), filepath.Join(dir, "chart.png")
	if err := os.WriteFile(svgPath, renderOutage(t), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(convert, svgPath, pngPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	if st, err := os.Stat(pngPath); err != nil || st.Size() < 1000 {
		t.Errorf("PNG missing or tiny: %v", err)
	}
}

func TestLongWindowsAreThinnedKeepingSpikes(t *testing.T) {
	var pts []point
	for i := range 10000 {
		pts = append(pts, point{t: at(i), avg: 10, p99: 20, gap: i >= 5000 && i < 5100})
	}
	pts[777].p99, pts[777].err = 900, 50
	got := thin(pts, maxPoints)
	if len(got) > maxPoints {
		t.Fatalf("%d points after thinning to %d", len(got), maxPoints)
	}
	var peak, peakErr float64
	gaps := 0
	for _, p := range got {
		peak, peakErr = max(peak, p.p99), max(peakErr, p.err)
		if p.gap {
			gaps++
		}
	}
	if peak != 900 || peakErr != 50 {
		t.Errorf("spike lost: peak p99 %v, error %v", peak, peakErr)
	}
	if gaps == 0 {
		t.Error("a 100-second idle stretch vanished")
	}
}
