package sim

import "net/http"

// Items of /query/data's "data".
type (
	entity struct {
		Name        string `json:"entity_name"`
		Type        string `json:"entity_type"`
		Description string `json:"description"`
		SourceID    string `json:"source_id"`
		FilePath    string `json:"file_path"`
		ReferenceID string `json:"reference_id"`
	}
	chunk struct {
		Content     string `json:"content"`
		FilePath    string `json:"file_path"`
		ChunkID     string `json:"chunk_id"`
		ReferenceID string `json:"reference_id"`
	}
	queryData struct {
		Entities      []entity    `json:"entities"`
		Relationships []any       `json:"relationships"`
		Chunks        []chunk     `json:"chunks"`
		References    []reference `json:"references"`
	}
)

// queryData answers /query/data: the retrieved context without an answer.
// Each hit is one chunk and one entity; the simulator has no relationships.
func (l *LightRAG) queryData(r *http.Request) (any, error) {
	q, err := decodeQuery(r)
	if err != nil {
		return nil, err
	}
	if l.cond.get().RAGFailure {
		return noResults(*q.Mode), nil
	}
	ret := l.retrieve(q)
	data := queryData{Entities: []entity{}, Relationships: []any{}, Chunks: []chunk{}, References: ret.refs}
	for _, h := range ret.hits {
		ref, chunkID := ret.refOf[h.doc.FilePath], mdhashID(h.doc.Text, "chunk-")
		data.Chunks = append(data.Chunks, chunk{Content: h.doc.Text, FilePath: h.doc.FilePath, ChunkID: chunkID, ReferenceID: ref})
		data.Entities = append(data.Entities, entity{Name: h.doc.Title, Type: "concept", Description: h.doc.Abstract,
			SourceID: chunkID, FilePath: h.doc.FilePath, ReferenceID: ref})
	}
	status, message := "success", "Query executed successfully"
	if len(ret.hits) == 0 && *q.Mode != "bypass" {
		// operate.py answers an empty context this way, still with HTTP 200.
		status, message = "failure", "Query returned empty dataset."
	}
	return map[string]any{
		"status":   status,
		"message":  message,
		"data":     data,
		"metadata": queryMetadata(q, len(ret.hits)),
	}, nil
}

// noResults is aquery_data's answer when retrieval itself gave nothing
// back (lightrag.py: query_result is None), with HTTP 200.
func noResults(mode string) map[string]any {
	msg := "Query returned no results"
	if mode == "naive" {
		msg = "No relevant document chunks found."
	}
	return map[string]any{"status": "failure", "message": msg, "data": map[string]any{},
		"metadata": map[string]any{"failure_reason": "no_results", "mode": mode}}
}

func queryMetadata(q queryRequest, n int) map[string]any {
	return map[string]any{
		"query_mode": *q.Mode,
		"keywords":   map[string]any{"high_level": []string{}, "low_level": nonNil(tokenize(*q.Query))},
		"processing_info": map[string]int{
			"total_entities_found": n, "total_relations_found": 0,
			"entities_after_truncation": n, "relations_after_truncation": 0,
			"merged_chunks_count": n, "final_chunks_count": n,
		},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
