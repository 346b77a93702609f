package translate

// Builtin returns the built-in OpenViking -> LightRAG profile, a fresh copy
// on each call:
//
//   - "search": POST /api/v1/search/find and /search/search -> POST
//     /query/data, each distinct chunk source becoming one resource;
//   - "add-resource": POST /api/v1/resources -> POST /documents/text for
//     the text a client uploaded, filed under the root URI OpenViking would
//     give it; a URL is never fetched (the journal keeps the add);
//   - content reads (GET /api/v1/content/read, abstract, overview), not a
//     rule: answered from the chunks fallback retrievals returned;
//   - "health": GET /health -> GET /health, raw;
//   - "ready": GET /ready -> GET /health, raw, 503 unless LightRAG is healthy;
//   - "system-status": GET /api/v1/system/status -> GET /health.
func Builtin() []Rule {
	return []Rule{
		{Name: "search", Methods: []string{"POST"}, Paths: []string{"/api/v1/search/find", "/api/v1/search/search"},
			Path: "/query/data", Request: searchRequest, Response: searchResponse},
		{Name: "add-resource", Methods: []string{"POST"}, Paths: []string{"/api/v1/resources"},
			Path: "/documents/text", Request: resourceDefs + addResourceRequest, Response: resourceDefs + addResourceResponse},
		{Name: "health", Methods: []string{"GET"}, Paths: []string{"/health"}, Path: "/health", Raw: true,
			Response: healthResponse},
		{Name: "ready", Methods: []string{"GET"}, Paths: []string{"/ready"}, Path: "/health", Raw: true,
			Response: readyResponse},
		{Name: "system-status", Methods: []string{"GET"}, Paths: []string{"/api/v1/system/status"}, Path: "/health",
			Response: systemStatusResponse},
	}
}

// must raises a client error (400) from a Request program.
const mustDef = `def must(cond; msg): if cond then . else error(msg) end;
`

// searchFields are the fields of FindRequest and SearchRequest
// (openviking/server/routers/search.py); both forbid any other.
const searchFields = `["query","image_url","target_uri","context_type","limit","node_limit","score_threshold","filter",
 "include_provenance","tags","since","until","time_field","level","telemetry","session_id","mode","query_expansion",
 "max_tokens","quotas","purpose","detail","dedup_turns","exclude_uris","peer_scope","other_peer_penalty","rewrite",
 "rewrite_max_bullets"]`

// forbidExtra refuses fields the request model does not declare, with
// the message and details OpenViking's validation handler gives.
const forbidExtra = `def forbid_extra($allowed): (keys - $allowed) as $extra
  | if $extra == [] then . else error({
      message: ("Invalid request parameters: " + ([$extra[] | "body." + . + ": Extra inputs are not permitted"] | join("; "))),
      details: {validation_errors: [$extra[] | {loc: ["body", .], message: "Extra inputs are not permitted", type: "extra_forbidden"}]}})
    end;
`

// searchRequest checks what OpenViking would check itself, and never
// lets the fallback's own limits refuse a request the primary accepts: a
// query under 3 characters (LightRAG's minimum; its SMP fork counts raw
// characters) is answered empty without asking LightRAG, top_k is capped
// at LightRAG's 1,000, and optional fields LightRAG has no use for are
// accepted and not sent.
const searchRequest = mustDef + forbidExtra + `.body
| must(type == "object"; "the request body must be a JSON object")
| forbid_extra(` + searchFields + `)
| must((.query // "") | type == "string"; "query must be a string")
| must((.limit // 10) | type == "number" and . >= 1; "limit must be a positive number")
| must((.target_uri // "") | type == "string" or (type == "array" and all(.[]; type == "string"));
    "target_uri must be a string or a list of strings")
| must((.score_threshold // 0) | type == "number"; "score_threshold must be a number")
| if (.query // "" | trim | length) < 3 then null
  else {query: (.query | trim), mode: "mix", top_k: ([(.limit // 10), 1000] | min), include_references: true} end`

// searchResponse turns LightRAG's retrieved context into OpenViking's find
// result: one resource per distinct chunk source, in LightRAG's order,
// honouring target_uri (one prefix or a list), score_threshold and limit.
// LightRAG has no similarity scores, so scores follow the rank:
// 1 / (1 + rank/10), 1.0 first and strictly decreasing. The abstract is
// the description of the entity from the same source, else the chunk's
// first 200 characters. As in OpenViking, items under another user's
// viking://user/<name>/ are hidden: LightRAG knows no tenants. LightRAG's
// "failure" with nothing found is an empty result; any other failure is
// the fallback's (UNAVAILABLE), never an empty result that looks true.
const searchResponse = `def viking: if startswith("viking://") then . else "viking://" + . end;
if (.body.status // "success") == "failure" and (.body.metadata.failure_reason // "") != "no_results"
   and ((.body.message // "") | test("empty dataset|no results|No relevant"; "i") | not)
then error("LightRAG answered status failure: " + (.body.message // "no message" | tostring)) else . end
| .request.body as $q
| ("viking://user/" + (.request.headers["x-openviking-user"] // "default") + "/") as $own
| ($q.target_uri // "" | if type == "array" then . else [.] end) as $prefixes
| ($q.score_threshold // 0) as $min
| (reduce (.body.data.entities // [])[] as $e ({};
    if ($e.file_path | type) == "string" and .[$e.file_path] == null and ($e.description // "") != ""
    then .[$e.file_path] = $e.description else . end)) as $about
| [(.body.data.chunks // []) | to_entries[] | select((.value.file_path | type) == "string")]
| [group_by(.value.file_path)[][0]] | sort_by(.key)
| [.[].value
    | .file_path as $source
    | ($source | viking) as $uri
    | select(any($prefixes[]; . as $p | $uri | startswith($p))
        and (($uri | startswith("viking://user/") | not) or ($uri | startswith($own))))
    | {context_type: "resource", uri: $uri, level: 2,
       abstract: ($about[$source] // ((.content // "") | .[:200])), tags: []}]
| .[:($q.limit // 10)] as $items
| [range($items | length) as $i | $items[$i] | .score = (1 / (1 + $i / 10)) | select(.score >= $min)]
| {memories: [], resources: ., skills: [], total: length}`

// resourceDefs mirror OpenViking: the source is path, else temp_file_id;
// the root is "to", else viking://resources/<source name without extension>.
const resourceDefs = mustDef + `def source: if (.path // "") != "" then .path else (.temp_file_id // "") end;
def root: if (.to // "") != "" then .to
  else "viking://resources/" + (source | sub("/+$"; "") | split("/") | (last // "") | sub("\\.[^.]*$"; "")) end;
`

// addResourceRequest indexes what the client itself uploaded (the text
// the journal kept, which it passes on as _lifeboat_upload_text) under the
// root URI without its scheme, which LightRAG reports back as the chunks'
// file_path; the search translation turns it into the same URI again.
// Anything else (a URL, a file uploaded to the primary before the outage)
// is not indexed: Lifeboat never fetches a URL on a client's behalf, and
// the journal replays the add to the primary, which does.
const addResourceRequest = `.body
| must(type == "object"; "the request body must be a JSON object")
| must(source | type == "string" and . != ""; "path or temp_file_id is required")
| must((.to // "") | type == "string"; "to must be a string")
| must(root | startswith("viking://"); "to must be a viking:// URI")
| must((.reason // "") | type == "string"; "reason must be a string")
| if (._lifeboat_upload_text // "") == "" then null
  else {text: ._lifeboat_upload_text, file_source: (root | ltrimstr("viking://"))} end`

// addResourceResponse says what happened to the resource on the fallback
// side, under "lifeboat": indexed (LightRAG's own word: success,
// duplicated, partial_success; LightRAG indexes in the background under
// track_id) or not, and whether the journal keeps the add for the primary.
// A resource neither journaled nor indexed is not taken at all: the
// fallback cannot add it, and saying success would lose it.
const addResourceResponse = `.request.body as $r
| ($r._lifeboat_journaled // false) as $journaled
| if .body == null then
    (if $journaled then . else error("the fallback cannot add this resource; retry when the primary is back") end
     | {indexed: false, note: "journaled for the primary; the fallback indexes only text a client uploaded"})
  elif .body.status == "failure" then
    error("the fallback could not store the resource: " + (.body.message // "no reason given" | tostring))
  else {indexed: .body.status, track_id: .body.track_id} end
| . + {journaled: $journaled} as $l
| $r | {status: "success", root_uri: root, source_path: source, errors: [], meta: {}, lifeboat: $l}`

const healthResponse = `{status: "ok", healthy: (.body.status == "healthy"),
  version: ("lifeboat-fallback (LightRAG " + (.body.core_version // "unknown" | tostring) + ")"),
  auth_mode: "api_key"}`

const readyResponse = `if .body.status == "healthy" then {status: "ready", checks: {fallback: .body.status}}
else {http_status: 503, status: "not_ready", checks: {fallback: .body.status}} end`

const systemStatusResponse = `{initialized: true, user: (.request.headers["x-openviking-user"] // "default"),
  mode: "fallback", fallback: .body.status}`
