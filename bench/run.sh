#!/usr/bin/env bash
# Side-by-side benchmark of Lifeboat, nginx, HAProxy, a bare Go
# ReverseProxy and a bare fasthttp proxy in front of one small backend
# (issue 7). See bench/README.md.
#
#   bench/run.sh            full run: 3 interleaved rounds, writes bench/RESULTS.md
#   bench/run.sh --smoke    one short round (under a minute), writes bench/out/RESULTS-smoke.md
#   bench/run.sh --profile  CPU profile of lifeboat under wrk load, writes bench/out/profile-*.txt
#   bench/run.sh --serve    start every target, print the targets, wait for Ctrl-C (for poking by hand)
#
# Environment: ROUNDS, DURATION (wrk), VDURATION (vegeta), RATES, CONNS,
# IDLE, QUIET_WAIT (longest wait for an idle machine before each target),
# PIN=0 (no CPU pinning), BENCH_PORT_BASE (default 18100),
# NO_INSTALL=1 (never call apt-get or go install), LIFEBOAT_BIN and
# PPROFGW_BIN (prebuilt gateway binaries instead of building the tree).
#
# Everything listens on 127.0.0.1 only; configs and logs go to a temp dir;
# every process started here is stopped on exit.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
BIN=$BENCH/.bin
OUT=$BENCH/out
MODE=full
for arg in "$@"; do
  case $arg in
    --smoke) MODE=smoke ;;
    --profile) MODE=profile ;;
    --serve) MODE=serve ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

VEGETA_VERSION=v12.13.0
BASE=${BENCH_PORT_BASE:-18100}
P_UP=$((BASE + 1)) P_FB=$((BASE + 2)) P_DIRECT=$((BASE + 3))
P_NGINX=$((BASE + 10)) P_HAPROXY=$((BASE + 11)) P_BARE=$((BASE + 12))
P_LB=$((BASE + 13)) P_LBCACHE=$((BASE + 14)) P_LBBACKUP=$((BASE + 15))
P_FAST=$((BASE + 16)) P_FASTFEAT=$((BASE + 17))
P_CLOSED=$((BASE + 19)) P_PPROF=$((BASE + 20))
PATH_PLAIN=/api/v1/sessions/bench
PATH_CACHED=/api/v1/sessions/cached

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---- processes -------------------------------------------------------------

PIDS=()
TMP=$(mktemp -d /tmp/lifeboat-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers run as nobody and read under it

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$OUT/logs"; mkdir -p "$OUT/logs" && cp "$TMP"/*.log "$OUT/logs/" 2>/dev/null || true
  rm -rf "$TMP"
  [ $rc -eq 0 ] || echo "bench: failed (exit $rc); logs in $OUT/logs" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CPU CMD... runs CMD in the background, pinned to CPU when
# pinning is on, logging to $TMP/NAME.log; its pid is left in $LAST.
start() {
  local name=$1 cpu=$2; shift 2
  if [ "$PIN" = 1 ]; then set -- taskset -c "$cpu" "$@"; fi
  "$@" >"$TMP/$name.log" 2>&1 &
  LAST=$!
  PIDS+=("$LAST")
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 100); do port_open "$1" && return 0; sleep 0.1; done
  die "nothing listens on 127.0.0.1:$1 after 10s; see $OUT/logs"
}

# ---- tools -----------------------------------------------------------------

install_tools() {
  local missing=()
  for t in wrk nginx haproxy curl taskset; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "${NO_INSTALL:-0}" = 1 ] && die "missing tools: ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "missing tools (${missing[*]}); run as root to apt-get install them"
    log "installing wrk nginx haproxy curl util-linux"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx haproxy curl util-linux >/dev/null
  fi
  if [ ! -x "$BIN/vegeta" ]; then
    [ "${NO_INSTALL:-0}" = 1 ] && die "missing $BIN/vegeta"
    log "installing vegeta $VEGETA_VERSION into $BIN"
    GOBIN=$BIN go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"
  fi
}

# build compiles the harness and, unless LIFEBOAT_BIN and PPROFGW_BIN name
# prebuilt binaries (useful while the tree is mid-edit), the gateway.
build() {
  log "building backend, bareproxy, measure, report"
  (cd "$ROOT" && go build -o "$BIN/" ./bench/backend ./bench/bareproxy ./bench/measure ./bench/report)
  # fastproxy is a module of its own (it needs fasthttp, which the gateway's
  # module does not depend on), so it is built from its own directory.
  log "building fastproxy"
  (cd "$BENCH/fastproxy" && go build -o "$BIN/fastproxy" .)
  LB_BIN=${LIFEBOAT_BIN:-$BIN/lifeboat} PPROF_BIN=${PPROFGW_BIN:-$BIN/pprofgw}
  if [ -z "${LIFEBOAT_BIN:-}" ]; then
    log "building lifeboat and pprofgw"
    (cd "$ROOT" && go build -o "$BIN/" ./cmd/lifeboat ./bench/pprofgw)
  fi
  [ -x "$LB_BIN" ] || die "no lifeboat binary at $LB_BIN"
}

# ---- configs ---------------------------------------------------------------

write_nginx_conf() {
  mkdir -p "$TMP/nginx"
  cat >"$TMP/nginx.conf" <<EOF
daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  upstream backend {
    server 127.0.0.1:$P_UP;
    keepalive 512;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$P_NGINX backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
EOF
}

write_haproxy_conf() {
  cat >"$TMP/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 300s
  timeout server 60s
  timeout http-keep-alive 300s
  option forwardfor
  http-reuse always
frontend fe
  bind 127.0.0.1:$P_HAPROXY
  default_backend be
backend be
  server s1 127.0.0.1:$P_UP
EOF
}

# write_lifeboat_conf FILE PORT PRIMARY_URL MODE: every feature on. The
# queue limits are far above the offered load so it never queues; the cache
# is on, and the benchmark's plain path carries no freshness, so each lookup
# misses and the answer goes to the primary.
write_lifeboat_conf() {
  cat >"$1" <<EOF
listen: 127.0.0.1:$2
upstreams:
  primary:
    url: $3
    health: {healthy_values: [ok]}
  fallback:
    url: http://127.0.0.1:$P_FB
    health: {healthy_values: [healthy]}
routing: {mode: $4}
breaker: {enabled: true}
queue: {enabled: true, max_concurrent: 100000, max_queue_size: 100000}
cache: {enabled: true}
# Escalation evaluates its triggers, records incidents and samples history
# as in production, but in dry run, so the backup target stays in backup
# mode instead of being rolled back to the fallback.
escalation: {enabled: true, dry_run: true, data_dir: $TMP/lifeboat-data-$2}
EOF
  # The fallback here is the plain backend, not LightRAG: the backup target
  # measures the failover path itself, so it forwards unchanged. Translation
  # and the journal have Go benchmarks of their own (internal/translate,
  # internal/journal).
  if [ "$4" = backup ]; then
    printf 'translation: {enabled: false}\njournal: {enabled: false}\n' >>"$1"
  fi
}

# ---- targets ---------------------------------------------------------------

start_backends() {
  start backend-upstream "$LG_CPU" "$BIN/backend" -listen "127.0.0.1:$P_UP" -health ok
  start backend-fallback "$LG_CPU" "$BIN/backend" -listen "127.0.0.1:$P_FB" -health healthy
  wait_port "$P_UP"
  wait_port "$P_FB"
}

start_targets() {
  local lb=$LB_BIN
  start direct "$SUT_CPU" "$BIN/backend" -listen "127.0.0.1:$P_DIRECT"; PID_DIRECT=$LAST
  write_nginx_conf
  start nginx "$SUT_CPU" nginx -c "$TMP/nginx.conf" -p "$TMP"; PID_NGINX=$LAST
  write_haproxy_conf
  start haproxy "$SUT_CPU" haproxy -db -f "$TMP/haproxy.cfg"; PID_HAPROXY=$LAST
  start bareproxy "$SUT_CPU" "$BIN/bareproxy" -listen "127.0.0.1:$P_BARE" -upstream "http://127.0.0.1:$P_UP"; PID_BARE=$LAST
  start fastproxy "$SUT_CPU" "$BIN/fastproxy" -listen "127.0.0.1:$P_FAST" -upstream "http://127.0.0.1:$P_UP"; PID_FAST=$LAST
  start fastproxy-features "$SUT_CPU" "$BIN/fastproxy" -listen "127.0.0.1:$P_FASTFEAT" -upstream "http://127.0.0.1:$P_UP" -features; PID_FASTFEAT=$LAST
  write_lifeboat_conf "$TMP/lb-primary.yaml" "$P_LB" "http://127.0.0.1:$P_UP" primary
  start lifeboat-primary "$SUT_CPU" "$lb" serve --config "$TMP/lb-primary.yaml"; PID_LB=$LAST
  write_lifeboat_conf "$TMP/lb-cache.yaml" "$P_LBCACHE" "http://127.0.0.1:$P_UP" primary
  start lifeboat-cache-hit "$SUT_CPU" "$lb" serve --config "$TMP/lb-cache.yaml"; PID_LBCACHE=$LAST
  write_lifeboat_conf "$TMP/lb-backup.yaml" "$P_LBBACKUP" "http://127.0.0.1:$P_CLOSED" backup
  start lifeboat-backup "$SUT_CPU" "$lb" serve --config "$TMP/lb-backup.yaml"; PID_LBBACKUP=$LAST
  for p in "$P_DIRECT" "$P_NGINX" "$P_HAPROXY" "$P_BARE" "$P_FAST" "$P_FASTFEAT" "$P_LB" "$P_LBCACHE" "$P_LBBACKUP"; do wait_port "$p"; done
  wait_primary_down "$P_LBBACKUP"
  check_responses
}

# wait_primary_down waits until the backup-mode gateway's health checks
# mark its (closed) primary down, so its steady state is measured.
wait_primary_down() {
  for _ in $(seq 100); do
    curl -s "http://127.0.0.1:$1/status" | tr -d ' \n' | grep -q '"primary":{[^}]*"state":"down"' && return 0
    sleep 0.1
  done
  die "backup gateway never marked its primary down"
}

# check_responses proves each target answers 200 the way it should before
# anything is timed: the cache-hit target from its cache, the backup
# target from the fallback.
check_responses() {
  local h
  for p in "$P_DIRECT" "$P_NGINX" "$P_HAPROXY" "$P_BARE" "$P_FAST" "$P_FASTFEAT" "$P_LB" "$P_LBBACKUP"; do
    curl -sf -o /dev/null "http://127.0.0.1:$p$PATH_PLAIN" || die "port $p does not answer 200"
  done
  curl -sf -o /dev/null "http://127.0.0.1:$P_LBCACHE$PATH_CACHED"
  h=$(curl -sfi "http://127.0.0.1:$P_LBCACHE$PATH_CACHED")
  grep -qi '^X-Cache: HIT' <<<"$h" || die "cache-hit target did not answer from its cache"
  h=$(curl -sfi "http://127.0.0.1:$P_LBBACKUP$PATH_PLAIN")
  grep -qi '^X-Lifeboat-Upstream: fallback' <<<"$h" || die "backup target did not answer from the fallback"
}

write_targets() {
  local u=http://127.0.0.1
  cat >"$TMP/targets.json" <<EOF
[
  {"name": "direct", "url": "$u:$P_DIRECT$PATH_PLAIN", "pid": $PID_DIRECT},
  {"name": "nginx", "url": "$u:$P_NGINX$PATH_PLAIN", "pid": $PID_NGINX},
  {"name": "haproxy", "url": "$u:$P_HAPROXY$PATH_PLAIN", "pid": $PID_HAPROXY},
  {"name": "bare-reverseproxy", "url": "$u:$P_BARE$PATH_PLAIN", "pid": $PID_BARE},
  {"name": "fasthttp-proxy", "url": "$u:$P_FAST$PATH_PLAIN", "pid": $PID_FAST},
  {"name": "fasthttp-features", "url": "$u:$P_FASTFEAT$PATH_PLAIN", "pid": $PID_FASTFEAT},
  {"name": "lifeboat-primary", "url": "$u:$P_LB$PATH_PLAIN", "pid": $PID_LB},
  {"name": "lifeboat-cache-hit", "url": "$u:$P_LBCACHE$PATH_CACHED", "pid": $PID_LBCACHE},
  {"name": "lifeboat-backup", "url": "$u:$P_LBBACKUP$PATH_PLAIN", "pid": $PID_LBBACKUP}
]
EOF
}

# ---- runs ------------------------------------------------------------------

run_measure() {
  local rounds=${ROUNDS:-3} d=${DURATION:-10s} vd=${VDURATION:-10s} pause=500ms warmup=2s quiet=${QUIET_WAIT:-2m}
  if [ "$MODE" = smoke ]; then
    rounds=${ROUNDS:-1} d=${DURATION:-1s} vd=${VDURATION:-1s} pause=100ms warmup=0s quiet=${QUIET_WAIT:-0s}
  fi
  write_targets
  log "measuring: $rounds round(s), wrk $d, vegeta $vd per rate"
  local -a cmd=("$BIN/measure" -targets "$TMP/targets.json" -out "$OUT/results-$MODE.json"
    -rounds "$rounds" -duration "$d" -vegeta-duration "$vd" -rates "${RATES:-1000,5000}"
    -connections "${CONNS:-64}" -threads 1 -idle "${IDLE:-1000}" -pause "$pause"
    -warmup "$warmup" -quiet-wait "$quiet"
    -wrk wrk -vegeta "$BIN/vegeta" -lg-cpu "$LG_CPU" -sut-cpu "$SUT_CPU")
  if [ "$PIN" = 1 ]; then cmd=(taskset -c "$LG_CPU" "${cmd[@]}"); fi
  "${cmd[@]}"
  local md=$BENCH/RESULTS.md
  [ "$MODE" = smoke ] && md=$OUT/RESULTS-smoke.md
  "$BIN/report" -in "$OUT/results-$MODE.json" -out "$md" -mode "$MODE"
}

# run_profile takes a 20s CPU profile of the gateway (primary mode, every
# feature on) while wrk loads it, and prints the hottest functions.
run_profile() {
  write_lifeboat_conf "$TMP/lb-profile.yaml" "$P_LB" "http://127.0.0.1:$P_UP" primary
  start lifeboat-pprof "$SUT_CPU" "$PPROF_BIN" -pprof "127.0.0.1:$P_PPROF" serve --config "$TMP/lb-profile.yaml"
  wait_port "$P_LB"
  wait_port "$P_PPROF"
  local -a load=(wrk -t1 -c"${CONNS:-64}" -d25s "http://127.0.0.1:$P_LB$PATH_PLAIN")
  if [ "$PIN" = 1 ]; then load=(taskset -c "$LG_CPU" "${load[@]}"); fi
  log "profiling lifeboat-primary for 20s under wrk"
  "${load[@]}" >"$OUT/profile-wrk.txt" &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  sleep 2
  curl -sf -o "$OUT/cpu.pprof" "http://127.0.0.1:$P_PPROF/debug/pprof/profile?seconds=20"
  curl -sf -o "$OUT/allocs.pprof" "http://127.0.0.1:$P_PPROF/debug/pprof/allocs"
  wait "$wrk_pid" || true
  (cd "$ROOT" && go tool pprof -top -nodecount=40 "$PPROF_BIN" "$OUT/cpu.pprof" >"$OUT/profile-flat.txt" 2>/dev/null)
  (cd "$ROOT" && go tool pprof -top -cum -nodecount=60 "$PPROF_BIN" "$OUT/cpu.pprof" >"$OUT/profile-cum.txt" 2>/dev/null)
  (cd "$ROOT" && go tool pprof -sample_index=alloc_space -top -nodecount=30 "$PPROF_BIN" "$OUT/allocs.pprof" >"$OUT/profile-allocs.txt" 2>/dev/null)
  grep 'Requests/sec' "$OUT/profile-wrk.txt" >&2 || true
  head -50 "$OUT/profile-flat.txt"
  log "profiles in $OUT (cpu.pprof, allocs.pprof, profile-*.txt)"
}

# ---- main ------------------------------------------------------------------

main() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
  mkdir -p "$BIN" "$OUT"
  install_tools
  build
  # Two CPUs or more: the target under test gets its own CPU, and the load
  # generators share the other with the upstream backends, so wrk never
  # competes with the proxy it measures (see README).
  PIN=${PIN:-1} LG_CPU=-1 SUT_CPU=-1
  if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then LG_CPU=0 SUT_CPU=1; else PIN=0; fi
  for p in "$P_UP" "$P_FB" "$P_DIRECT" "$P_NGINX" "$P_HAPROXY" "$P_BARE" "$P_LB" "$P_LBCACHE" "$P_LBBACKUP" "$P_FAST" "$P_FASTFEAT" "$P_CLOSED" "$P_PPROF"; do
    port_open "$p" && die "127.0.0.1:$p is in use; set BENCH_PORT_BASE"
  done
  start_backends
  if [ "$MODE" = profile ]; then run_profile; return; fi
  start_targets
  if [ "$MODE" = serve ]; then write_targets; cat "$TMP/targets.json"; log "serving; Ctrl-C stops"; wait; return; fi
  run_measure
}

main
