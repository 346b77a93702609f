package sim

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxHistory bounds the pipeline's message history.
const maxHistory = 50

// DocStatus is one inserted document as LightRAG reports it in
// /documents/track_status. The simulator processes text at once, so Status
// is always "processed".
type DocStatus struct {
	ID             string `json:"id"`
	ContentSummary string `json:"content_summary"`
	ContentLength  int    `json:"content_length"`
	Status         string `json:"status"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
	TrackID        string `json:"track_id"`
	ChunksCount    int    `json:"chunks_count"`
	FilePath       string `json:"file_path"`
}

// docStore holds inserted documents by content id and by track id, and the
// pipeline's messages.
type docStore struct {
	mu      sync.Mutex
	byID    map[string]DocStatus
	byTrack map[string][]string
	latest  string
	history []string
}

func newDocStore() *docStore {
	return &docStore{byID: map[string]DocStatus{}, byTrack: map[string][]string{}, history: []string{}}
}

// insert records d unless a document with the same content id exists; it
// returns the stored document and whether it was new.
func (s *docStore) insert(d DocStatus) (DocStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.byID[d.ID]; ok {
		return old, false
	}
	s.byID[d.ID] = d
	s.byTrack[d.TrackID] = append(s.byTrack[d.TrackID], d.ID)
	s.noteLocked("Processed " + d.ID + " (" + d.FilePath + ")")
	return d, true
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

// Track returns the documents inserted under trackID.
func (l *LightRAG) Track(trackID string) []DocStatus { return l.docs.track(trackID) }

// insertText stores the text and makes it searchable at once. Text seen
// before answers "duplicated" with the original track id.
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
	d, isNew := l.docs.insert(newDocStatus(text, valueOr(req.FileSource, "unknown_source")))
	if !isNew {
		return map[string]string{"status": "duplicated", "track_id": d.TrackID,
			"message": "File '" + d.FilePath + "' already exists in document storage (Status: processed)."}, nil
	}
	l.index.put(Document{URI: "lightrag://" + d.ID, FilePath: d.FilePath, Title: d.FilePath, Level: 2, Text: text})
	return map[string]string{"status": "success", "track_id": d.TrackID,
		"message": "Text successfully received. Processing will continue in background."}, nil
}

func newDocStatus(text, filePath string) DocStatus {
	now := time.Now()
	stamp := now.UTC().Format(time.RFC3339)
	return DocStatus{
		ID: mdhashID(text, "doc-"), ContentSummary: firstSentence(text), ContentLength: len(text),
		Status: "processed", CreatedAt: stamp, UpdatedAt: stamp, TrackID: newTrackID("insert", now),
		ChunksCount: 1, FilePath: filePath,
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

// pipelineStatus is never busy: the simulator processes text at once.
func (l *LightRAG) pipelineStatus(_ *http.Request) (any, error) {
	l.docs.mu.Lock()
	defer l.docs.mu.Unlock()
	return map[string]any{
		"autoscanned": false, "busy": false, "job_name": "Default Job", "job_start": nil,
		"docs": len(l.docs.byID), "batchs": 0, "cur_batch": 0, "request_pending": false,
		"latest_message": l.docs.latest, "history_messages": append([]string{}, l.docs.history...),
		"update_status": map[string]any{},
	}, nil
}
