package envelope

import (
	"encoding/json"
	"math"
	"testing"
)

// wantOK and wantError are what json.Marshal makes of each shape: the
// bytes the envelope must reproduce.
func wantOK(t testing.TB, result any, seconds float64) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Status string  `json:"status"`
		Result any     `json:"result"`
		Time   float64 `json:"time"`
	}{"ok", result, seconds})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantError(t testing.TB, code, message string, seconds float64) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Status string  `json:"status"`
		Error  Detail  `json:"error"`
		Time   float64 `json:"time"`
	}{"error", Detail{code, message}, seconds})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	messages = []string{
		"", "plain text", `say "hi"`, `C:\path`, "tab\there", "line\nbreak", "<a&b>",
		"café", "\u2028 and \u2029", "bad utf8 \xff\xfe", "nul \x00", `Get "http://127.0.0.1:1933/x": EOF`,
	}
	times = []float64{0, 0.12, 1, 1e-6, 1e-7, 3.2e-7, 123456.789, 1e20, 1e21, 2.5e22, -0.5}
)

func TestAppendErrorIsEncodingJSON(t *testing.T) {
	for _, msg := range messages {
		for _, secs := range times {
			got := string(AppendError(nil, NotFound, msg, secs))
			if want := wantError(t, NotFound, msg, secs); got != want {
				t.Errorf("message %q, time %v:\n got %s\nwant %s", msg, secs, got, want)
			}
		}
	}
}

func TestAppendOKIsEncodingJSON(t *testing.T) {
	result := map[string]any{"session_id": "s1", "n": 2}
	raw, _ := json.Marshal(result)
	for _, secs := range times {
		if got, want := string(AppendOK(nil, raw, secs)), wantOK(t, result, secs); got != want {
			t.Errorf("time %v:\n got %s\nwant %s", secs, got, want)
		}
	}
}

func TestAppendOKNilResultIsNull(t *testing.T) {
	if got := string(AppendOK(nil, nil, 0)); got != `{"status":"ok","result":null,"time":0}` {
		t.Errorf("got %s", got)
	}
}

func TestAppendKeepsWhatDstHeld(t *testing.T) {
	got := string(AppendError([]byte("prefix:"), Internal, "m", 0))
	if got != `prefix:{"status":"error","error":{"code":"INTERNAL","message":"m"},"time":0}` {
		t.Errorf("got %s", got)
	}
}

// JSON cannot carry NaN or the infinities; "time" says 0 rather than
// breaking the body.
func TestTimeThatJSONCannotCarry(t *testing.T) {
	for _, secs := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		var env Envelope
		if err := json.Unmarshal(ErrorBody(Internal, "x", secs), &env); err != nil || env.Time != 0 {
			t.Errorf("time %v: %v, decoded %+v", secs, err, env)
		}
	}
}

// TestEnvelopeReadsBothShapes: the reader's type takes either body.
func TestEnvelopeReadsBothShapes(t *testing.T) {
	var ok, bad Envelope
	if err := json.Unmarshal(AppendOK(nil, []byte(`{"total":1}`), 0.5), &ok); err != nil {
		t.Fatal(err)
	}
	if ok.Status != "ok" || string(ok.Result) != `{"total":1}` || ok.Time != 0.5 || ok.Error != (Detail{}) {
		t.Errorf("ok: %+v", ok)
	}
	if err := json.Unmarshal(ErrorBody(SessionExpired, "gone", 0), &bad); err != nil {
		t.Fatal(err)
	}
	if bad.Status != "error" || bad.Error != (Detail{SessionExpired, "gone"}) || bad.Result != nil {
		t.Errorf("error: %+v", bad)
	}
}

// TestAppendAllocatesNothing pins the plain path: a buffer with room and
// a message with nothing to escape but quotes cost no allocation.
func TestAppendAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 512)
	result := []byte(`{"session_id":"s1"}`)
	n := testing.AllocsPerRun(100, func() {
		buf = AppendOK(buf[:0], result, 0.123456)
		buf = AppendError(buf[:0], Unavailable, `Get "http://127.0.0.1:1933/x": connection refused`, 0)
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func FuzzAppendError(f *testing.F) {
	for _, m := range messages {
		f.Add(m, 0.25)
	}
	f.Fuzz(func(t *testing.T, msg string, secs float64) {
		if math.IsNaN(secs) || math.IsInf(secs, 0) {
			return // json.Marshal refuses these; see TestTimeThatJSONCannotCarry
		}
		if got, want := string(AppendError(nil, Internal, msg, secs)), wantError(t, Internal, msg, secs); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}

func BenchmarkAppendError(b *testing.B) {
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendError(buf[:0], Unavailable, `primary: Get "http://127.0.0.1:1933/x": connection refused`, 0)
	}
}

func BenchmarkAppendOK(b *testing.B) {
	buf := make([]byte, 0, 512)
	result := []byte(`{"session_id":"s1","message_count":3}`)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendOK(buf[:0], result, 0.001234)
	}
}
