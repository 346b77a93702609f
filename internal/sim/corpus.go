package sim

import "strings"

// Context types of OpenViking search results.
const (
	ContextResource = "resource"
	ContextMemory   = "memory"
	ContextSkill    = "skill"
)

// CanaryURI and CanaryQuery name a document of DefaultCorpus that functional
// probes can rely on: searching CanaryQuery finds CanaryURI (OpenViking) or
// CanaryFilePath (LightRAG) first, unless the search index is corrupted.
const (
	CanaryURI      = "viking://resources/lifeboat/canary.md"
	CanaryFilePath = "resources/lifeboat/canary.md"
	CanaryQuery    = "lifeboat canary"
)

// Document is one searchable item of a simulator's corpus.
type Document struct {
	// URI is the document's address, e.g. viking://resources/x.md; documents
	// with the same URI replace each other. Default: derived from Text.
	URI string `json:"uri"`
	// ContextType is ContextResource, ContextMemory or ContextSkill.
	// Default ContextResource.
	ContextType string `json:"context_type,omitempty"`
	// Level is OpenViking's context level (0 abstract, 1 overview, 2 detail). Default 0.
	Level int `json:"level,omitempty"`
	// FilePath is the source LightRAG reports in references. Default: the
	// URI without its "viking://" scheme.
	FilePath string `json:"file_path,omitempty"`
	// Title names the document; LightRAG reports it as an entity. Default: FilePath.
	Title string `json:"title,omitempty"`
	// Abstract is the summary OpenViking returns. Default: Text's first sentence.
	Abstract string `json:"abstract,omitempty"`
	// Text is the full content.
	Text string `json:"text"`
	// Tags are OpenViking's retrieval tags ("k=v"), reported in search
	// items and matched by a search's tags filter. Default none.
	Tags []string `json:"tags,omitempty"`
}

// normalized fills the defaults documented on Document.
func (d Document) normalized() Document {
	if d.URI == "" {
		d.URI = "viking://resources/" + mdhashID(d.Text, "doc-")
	}
	if d.ContextType == "" {
		d.ContextType = ContextResource
	}
	if d.FilePath == "" {
		d.FilePath = strings.TrimPrefix(d.URI, "viking://")
	}
	if d.Title == "" {
		d.Title = d.FilePath
	}
	if d.Abstract == "" {
		d.Abstract = firstSentence(d.Text)
	}
	return d
}

// firstSentence is s up to its first full stop, at most 200 bytes.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// DefaultCorpus returns a fresh copy of the built-in corpus: a dozen short
// documents about OpenViking, context databases, agents, LightRAG and the
// fallback plan, so demo searches like "context database" or "agent memory"
// find things. It includes the canary document (CanaryURI).
func DefaultCorpus() []Document {
	return []Document{
		{URI: "viking://resources/openviking/overview.md", Level: 2, Title: "OpenViking",
			Text: "OpenViking is an open-source context database for AI agents. It organises memories, resources and skills under one viking:// filesystem so an agent retrieves exactly the context it needs."},
		{URI: "viking://resources/openviking/context-database.md", Level: 2, Title: "Context database",
			Text: "A context database stores what an agent knows in tiers: an L0 abstract, an L1 overview and the L2 detail. Tiered loading keeps prompts small while the full context stays one request away."},
		{URI: "viking://resources/openviking/sessions.md", Level: 2, Title: "Sessions",
			Text: "Sessions record the messages of a conversation. Committing a session archives its messages and extracts long-term memories in the background; a task id tracks the extraction."},
		{URI: "viking://resources/openviking/retrieval.md", Level: 2, Title: "Retrieval",
			Text: "Retrieval combines vector search with directory recursion. find runs a plain semantic search; search also reads the session to expand the query. Scores below the threshold are dropped."},
		{URI: "viking://resources/openviking/deployment.md", Level: 2, Title: "Deployment",
			Text: "The OpenViking server listens on port 1933. GET /health and GET /ready need no API key; every other endpoint takes X-API-Key or a bearer token and the X-OpenViking-User tenant header."},
		{URI: "viking://resources/agents/agent-memory.md", Level: 2, Title: "Agent memory",
			Text: "Agent memory keeps what an agent learned across sessions: user preferences, facts about entities and episodes of past work. Good memory makes an agent consistent and personal."},
		{URI: "viking://resources/agents/tool-use.md", Level: 2, Title: "Tool use",
			Text: "Agents call tools to act on the world. Skills describe how and when to use a tool, and the context database stores them next to the resources they work on."},
		{URI: "viking://resources/lightrag/overview.md", Level: 2, Title: "LightRAG",
			Text: "LightRAG is a graph-based retrieval augmented generation server. It answers queries in local, global, hybrid, naive, mix or bypass mode from entities, relationships and text chunks."},
		{URI: "viking://resources/operations/fallback-plan.md", Level: 2, Title: "Fallback plan",
			Text: "The fallback plan routes traffic from OpenViking to the SMP fallback when health checks fail three times, latency passes five seconds or errors pass twenty percent, then restores the primary in stages."},
		{URI: "viking://user/default/memories/preferences.md", ContextType: ContextMemory, Level: 2, Title: "User preferences",
			Text: "The user prefers concise answers with Go code examples and wants incidents summarised with their timeline."},
		{URI: "viking://agent/skills/search-context.md", ContextType: ContextSkill, Level: 2, Title: "search_context skill",
			Text: "The search_context skill queries the context database for resources and memories relevant to the current task."},
		{URI: CanaryURI, Level: 2, Title: "Lifeboat canary",
			Text: "Lifeboat canary document. Functional probes search for the lifeboat canary to prove the search index still finds a known item."},
	}
}
