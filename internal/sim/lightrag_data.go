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
	ret := l.retrieve(q)
	data := queryData{Entities: []entity{}, Relationships: []any{}, Chunks: []chunk{}, References: ret.refs}
	for _, h := range ret.hits {
		ref, chunkID := ret.refOf[h.doc.FilePath], mdhashID(h.doc.Text, "chunk-")
		data.Chunks = append(data.Chunks, chunk{Content: h.doc.Text, FilePath: h.doc.FilePath, ChunkID: chunkID, ReferenceID: ref})
		data.Entities = append(data.Entities, entity{Name: h.doc.Title, Type: "concept", Description: h.doc.Abstract,
			SourceID: chunkID, FilePath: h.doc.FilePath, ReferenceID: ref})
	}
	return map[string]any{
		"status":   "success",
		"message":  "Query executed successfully",
		"data":     data,
		"metadata": queryMetadata(q, len(ret.hits)),
	}, nil
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
