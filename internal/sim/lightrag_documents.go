package sim

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxHistory bounds the pipeline's message history.
const maxHistory = 50

// Document statuses LightRAG reports (DocStatus in lightrag/base.py); the
// simulator uses pending and processed.
const (
	DocPending   = "pending"
	DocProcessed = "processed"
)

// DocStatus is one inserted document as LightRAG reports it in
// /documents/track_status (DocStatusResponse in document_routes.py).
type DocStatus struct {
	ID             string         `json:"id"`
	ContentSummary string         `json:"content_summary"`
	ContentLength  int            `json:"content_length"`
	Status         string         `json:"status"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	TrackID        string         `json:"track_id"`
	ChunksCount    *int           `json:"chunks_count"` // null until processed
	ErrorMsg       *string        `json:"error_msg"`
	Metadata       map[string]any `json:"metadata"`
	FilePath       string         `json:"file_path"`
}

// docStore holds inserted documents by content id, by track id and by
// file source, and the pipeline's messages.
type docStore struct {
	mu       sync.Mutex
	byID     map[string]DocStatus
	byTrack  map[string][]string
	bySource map[string]string // file path -> document id
	latest   string
	history  []string
}

func newDocStore() *docStore {
	return &docStore{byID: map[string]DocStatus{}, byTrack: map[string][]string{}, bySource: map[string]string{}, history: []string{}}
}

// namedSource reports whether a file source identifies a document:
// LightRAG does not look up an empty or the default source.
func namedSource(s string) bool { return s != "" && s != "unknown_source" }

// insert records d unless its file source or its content is known; it
// returns the document that exists and the duplicate message, or d and "".
func (s *docStore) insert(d DocStatus) (DocStatus, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.bySource[d.FilePath]; ok && namedSource(d.FilePath) {
		old := s.byID[id]
		return old, "File source '" + d.FilePath + "' already exists in document storage (Status: " + old.Status + ")."
	}
	if old, ok := s.byID[d.ID]; ok {
		return old, "Identical content already exists in document storage (doc_id: " + d.ID + ", Status: " + old.Status + ")."
	}
	s.byID[d.ID] = d
	s.byTrack[d.TrackID] = append(s.byTrack[d.TrackID], d.ID)
	s.bySource[d.FilePath] = d.ID
	s.noteLocked("Enqueued " + d.ID + " (" + d.FilePath + ")")
	return d, ""
}

// processed marks document id as indexed and returns it.
func (s *docStore) processed(id string, now time.Time) DocStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.byID[id]
	one := 1
	d.Status, d.ChunksCount, d.UpdatedAt = DocProcessed, &one, now.UTC().Format(time.RFC3339)
	s.byID[id] = d
	s.noteLocked("Processed " + d.ID + " (" + d.FilePath + ")")
	return d
}

func (s *docStore) noteLocked(msg string) {
	s.latest = msg
	s.history = append(s.history, msg)
	if len(s.history) > maxHistory {
		s.history = append([]string(nil), s.history[len(s.history)-maxHistory:]...)
	}
}

func (s *docStore) track(id string) []DocStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	docs := make([]DocStatus, 0, len(s.byTrack[id]))
	for _, docID := range s.byTrack[id] {
		docs = append(docs, s.byID[docID])
	}
	return docs
}

func (s *docStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// Tracks lists the track ids of every text inserted so far, sorted.
func (l *LightRAG) Tracks() []string {
	l.docs.mu.Lock()
	defer l.docs.mu.Unlock()
	ids := make([]string, 0, len(l.docs.byTrack))
	for id := range l.docs.byTrack {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Track returns the documents inserted under trackID.
func (l *LightRAG) Track(trackID string) []DocStatus { return l.docs.track(trackID) }

// insertText serves POST /documents/text (document_routes.py,
// insert_text): a known file source or known content answers
// "duplicated" with the existing track id; new text is queued for the
// background pipeline and answered "success" with a fresh track id.
func (l *LightRAG) insertText(r *http.Request) (any, error) {
	var req struct {
		Text       *string `json:"text"`
		FileSource string  `json:"file_source"`
	}
	if err := decodeFastAPI(r, &req); err != nil {
		return nil, err
	}
	if req.Text == nil {
		return nil, unprocessable(missingField("text"))
	}
	text := strings.TrimSpace(*req.Text)
	if text == "" {
		return nil, unprocessable(tooShort("text", *req.Text, 1))
	}
	if l.cond.get().RAGFailure {
		return map[string]string{"status": "failure", "track_id": "",
			"message": "Failed to enqueue the document: the pipeline is failing (simulated rag_failure)."}, nil
	}
	d, dup := l.docs.insert(newDocStatus(text, valueOr(strings.TrimSpace(req.FileSource), "unknown_source")))
	if dup != "" {
		return map[string]string{"status": "duplicated", "track_id": d.TrackID, "message": dup}, nil
	}
	if !l.pipeline.enqueue(d.ID, text) {
		return nil, &httpError{status: http.StatusServiceUnavailable, detail: "the pipeline has stopped"}
	}
	return map[string]string{"status": "success", "track_id": d.TrackID,
		"message": "Text successfully received. Processing will continue in background."}, nil
}

// index runs on the pipeline: the document becomes searchable.
func (l *LightRAG) indexDoc(j indexJob) {
	d := l.docs.processed(j.id, time.Now())
	l.index.put(Document{URI: "lightrag://" + d.ID, FilePath: d.FilePath, Title: d.FilePath, Level: 2, Text: j.text})
}

func newDocStatus(text, filePath string) DocStatus {
	now := time.Now()
	stamp := now.UTC().Format(time.RFC3339)
	return DocStatus{
		ID: mdhashID(text, "doc-"), ContentSummary: firstSentence(text), ContentLength: len([]rune(text)),
		Status: DocPending, CreatedAt: stamp, UpdatedAt: stamp, TrackID: newTrackID("insert", now),
		FilePath: filePath, Metadata: map[string]any{},
	}
}

// trackStatus answers 200 with no documents for an unknown track id, as
// LightRAG does.
func (l *LightRAG) trackStatus(r *http.Request) (any, error) {
	id := r.PathValue("track_id")
	docs := l.docs.track(id)
	summary := map[string]int{}
	for _, d := range docs {
		summary[d.Status]++
	}
	return map[string]any{"track_id": id, "documents": docs, "total_count": len(docs), "status_summary": summary}, nil
}

// pipelineStatus is busy while documents wait for the pipeline.
func (l *LightRAG) pipelineStatus(_ *http.Request) (any, error) {
	pending := l.pipeline.pending()
	l.docs.mu.Lock()
	defer l.docs.mu.Unlock()
	return map[string]any{
		"autoscanned": false, "busy": pending > 0, "job_name": "Default Job", "job_start": nil,
		"docs": pending, "batchs": 0, "cur_batch": 0, "request_pending": false,
		"latest_message": l.docs.latest, "history_messages": append([]string{}, l.docs.history...),
		"update_status": map[string]any{},
	}, nil
}
