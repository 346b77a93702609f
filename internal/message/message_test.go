package message

import (
	"encoding/json"
	"errors"
	"testing"
)

func decode(t *testing.T, s string) Request {
	t.Helper()
	var r Request
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("decoding %s: %v", s, err)
	}
	return r
}

func TestValidateFollowsTheServer(t *testing.T) {
	cases := []struct {
		body string
		ok   bool
	}{
		{`{"role":"user","content":"hi"}`, true},
		{`{"role":"user","content":""}`, true},
		{`{"role":"user","parts":[{"type":"text","text":"hi"}]}`, true},
		{`{"role":"user","parts":[]}`, true},
		{`{"role":"user","parts":["plain"]}`, true},
		{`{"role":"assistant","parts":[{"type":"tool","tool_id":"t1"}],"message_kind":"assistant_step"}`, true},
		{`{"role":"user"}`, false},
		{`{"content":"hi"}`, false},
		{`{"role":"user","content":"x","message_kind":"chat"}`, false},
		{`{"role":"user","parts":[{"type":"video"}]}`, false},
		{`{"role":"user","parts":[{"type":"image_url","image_url":{"url":""}}]}`, false},
	}
	for _, c := range cases {
		r := decode(t, c.body)
		err := r.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", c.body, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v is not ErrInvalid", c.body, err)
		}
	}
}

func TestBatchBounds(t *testing.T) {
	b := Batch{Messages: make([]Request, MaxBatch+1)}
	for i := range b.Messages {
		b.Messages[i] = decode(t, `{"role":"user","content":"x"}`)
	}
	if err := b.Validate(); err == nil {
		t.Fatal("a batch of 101 messages passed")
	}
	b.Messages = b.Messages[:MaxBatch]
	if err := b.Validate(); err != nil {
		t.Fatalf("a batch of 100 failed: %v", err)
	}
	if err := (&Batch{}).Validate(); err == nil {
		t.Fatal("a batch without messages passed")
	}
}

func TestPartsTakePrecedenceOverContent(t *testing.T) {
	r := decode(t, `{"role":"user","content":"ignored","parts":[{"type":"text","text":"kept"}]}`)
	if got := Text(r.ResolvedParts()); got != "kept" {
		t.Fatalf("text = %q, want the part's", got)
	}
	r = decode(t, `{"role":"user","content":"only"}`)
	if got := Text(r.ResolvedParts()); got != "only" {
		t.Fatalf("text = %q, want content", got)
	}
}

func TestEstimateTextCountsLikeTheServer(t *testing.T) {
	cases := map[string]int{
		"":         0,
		"abcd":     1,
		"abcde":    2, // 1.25 rounds up
		"你好":       3, // two CJK characters at 1.5
		"😀":        2, // outside the basic plane
		"hi 世界 ok": 5, // 7 * 0.25 + 2 * 1.5 = 4.75
	}
	for s, want := range cases {
		if got := EstimateText(s); got != want {
			t.Errorf("EstimateText(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestTokensReadEveryCountedField(t *testing.T) {
	parts := []Part{
		{"type": "text", "text": "abcd"},
		{"type": "context", "uri": "viking://x", "abstract": "efgh"},
		{"type": "tool", "tool_id": "ab", "tool_name": "cd", "tool_output": "efgh"},
	}
	if got := Tokens(parts); got != 4 { // 16 characters
		t.Fatalf("Tokens = %d, want 4", got)
	}
}

func TestStampKeepsEveryFieldAndAnExistingTime(t *testing.T) {
	body := json.RawMessage(`{"role":"user","parts":[{"type":"text","text":"x"}],"turn_id":"t1","future_field":{"a":1}}`)
	out, err := Stamp(body, "2026-12-05T10:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(out, &got)
	if got["created_at"] != "2026-12-05T10:00:00Z" || got["turn_id"] != "t1" || got["future_field"] == nil {
		t.Fatalf("stamped body lost or missed a field: %s", out)
	}
	kept, _ := Stamp(json.RawMessage(`{"role":"user","content":"x","created_at":"2020-01-01T00:00:00Z"}`), "now")
	_ = json.Unmarshal(kept, &got)
	if got["created_at"] != "2020-01-01T00:00:00Z" {
		t.Fatalf("the client's own created_at was replaced: %s", kept)
	}
	batch, err := StampBatch(json.RawMessage(`{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b","created_at":"c"}]}`), "now")
	if err != nil {
		t.Fatal(err)
	}
	var b struct{ Messages []map[string]any }
	_ = json.Unmarshal(batch, &b)
	if b.Messages[0]["created_at"] != "now" || b.Messages[1]["created_at"] != "c" {
		t.Fatalf("batch stamped wrongly: %s", batch)
	}
}
