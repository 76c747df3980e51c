#!/usr/bin/env bash
# A local two-shard ClickHouse cluster on loopback, for tests and development.
#
#   scripts/clickhouse.sh start    install ClickHouse if missing, start both servers, print the store URL
#   scripts/clickhouse.sh stop     stop both servers (by the pids recorded at start)
#   scripts/clickhouse.sh status   say whether each server runs; exit 0 only if both do
#   scripts/clickhouse.sh url      print the store URL
#
# Only the store URL goes to stdout, so `url=$(scripts/clickhouse.sh start)` works; everything
# else goes to stderr. `start` when the cluster already runs just prints the URL. Data stays in the
# data dir across stop/start; delete the dir for a clean cluster.
#
# Environment (defaults in brackets):
#   PRETZEL_CH_DIR                 data dir [${TMPDIR:-/tmp}/pretzel-clickhouse-$USER]
#   PRETZEL_CH_HTTP_PORT_1/_2      HTTP ports of shard 1/2 [18123/18124]
#   PRETZEL_CH_TCP_PORT_1/_2       native TCP ports [19000/19001]
#   PRETZEL_CH_INTERSERVER_PORT_1/_2  interserver HTTP ports [19009/19010]
#   PRETZEL_CH_DATABASE            database named in the URL [pretzel_test]; created by Pretzel, not here
#   PRETZEL_CH_START_TIMEOUT       seconds to wait for both servers to answer /ping [30]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
templates="$root/deploy/clickhouse"
user="${USER:-$(id -un 2>/dev/null || echo user)}"
dir="${PRETZEL_CH_DIR:-${TMPDIR:-/tmp}/pretzel-clickhouse-$user}"
cluster=pretzel

say() { echo "clickhouse: $*" >&2; }
die() { say "$*"; exit 1; }

# Ports: the ones recorded by the running cluster win over the environment, so `url`, `status`
# and `stop` describe the cluster that was started even when called without the overrides.
load_ports() {
  http_1="${PRETZEL_CH_HTTP_PORT_1:-18123}"
  http_2="${PRETZEL_CH_HTTP_PORT_2:-18124}"
  tcp_1="${PRETZEL_CH_TCP_PORT_1:-19000}"
  tcp_2="${PRETZEL_CH_TCP_PORT_2:-19001}"
  inter_1="${PRETZEL_CH_INTERSERVER_PORT_1:-19009}"
  inter_2="${PRETZEL_CH_INTERSERVER_PORT_2:-19010}"
  database="${PRETZEL_CH_DATABASE:-pretzel_test}"
  if [ "${1:-}" = recorded ] && [ -f "$dir/ports.env" ] && any_running; then
    # shellcheck source=/dev/null
    . "$dir/ports.env"
  fi
}

store_url() { echo "clickhouse://127.0.0.1:$http_1/$database?cluster=$cluster"; }

http_port() { if [ "$1" = 1 ]; then echo "$http_1"; else echo "$http_2"; fi; }

# The pid recorded for shard $1, if that process is still our server (checked by its command
# line, so a pid reused by another process after a crash is never signalled).
live_pid() {
  local file="$dir/shard$1/pid" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--config-file=$dir/shard$1/config.xml" || return 1
  echo "$pid"
}

any_running() { live_pid 1 >/dev/null || live_pid 2 >/dev/null; }

ping_ok() { [ "$(curl -s --max-time 2 "http://127.0.0.1:$1/ping" 2>/dev/null)" = "Ok." ]; }

ensure_installed() {
  local missing=()
  command -v clickhouse-server >/dev/null 2>&1 || missing+=(clickhouse-server)
  command -v clickhouse-client >/dev/null 2>&1 || missing+=(clickhouse-client)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need ${missing[*]}: run as root or install them"
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >&2 || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
  command -v clickhouse-server >/dev/null 2>&1 || die "clickhouse-server still not on PATH after install"
}

render() {
  local shard=$1 shard_dir="$dir/shard$1" http tcp inter
  if [ "$shard" = 1 ]; then http=$http_1 tcp=$tcp_1 inter=$inter_1; else http=$http_2 tcp=$tcp_2 inter=$inter_2; fi
  mkdir -p "$shard_dir"/{log,data,tmp,user_files,format_schemas}
  sed -e "s|\${CH_DIR}|$dir|g" \
      -e "s|\${CH_SHARD_DIR}|$shard_dir|g" \
      -e "s|\${CH_SHARD}|$shard|g" \
      -e "s|\${CH_HTTP_PORT}|$http|g" \
      -e "s|\${CH_TCP_PORT}|$tcp|g" \
      -e "s|\${CH_INTERSERVER_PORT}|$inter|g" \
      -e "s|\${CH_TCP_PORT_1}|$tcp_1|g" \
      -e "s|\${CH_TCP_PORT_2}|$tcp_2|g" \
      "$templates/server.xml.template" >"$shard_dir/config.xml"
  if grep -q '\${CH_' "$shard_dir/config.xml"; then
    die "unrendered placeholder in $shard_dir/config.xml: $(grep -o '\${CH_[A-Z_0-9]*}' "$shard_dir/config.xml" | head -1)"
  fi
}

log_tail() {
  local shard_dir="$dir/shard$1" f
  for f in "$shard_dir/log/stdout.log" "$shard_dir/log/clickhouse-server.err.log"; do
    [ -s "$f" ] || continue
    say "--- shard $1: tail of $f"
    tail -n 25 "$f" >&2
  done
}

stop_servers() {
  local shard pid pids=()
  for shard in 1 2; do
    if pid="$(live_pid "$shard")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  # ClickHouse finishes running queries on SIGTERM; give it 20 s, then kill.
  local waited=0
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 200 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid did not exit after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  done
  rm -f "$dir/shard1/pid" "$dir/shard2/pid"
  [ "${#pids[@]}" -eq 0 ] || say "stopped ${#pids[@]} server(s)"
}

start() {
  ensure_installed
  mkdir -p "$dir"
  load_ports recorded
  if live_pid 1 >/dev/null && live_pid 2 >/dev/null && ping_ok "$http_1" && ping_ok "$http_2"; then
    say "already running (data in $dir)"
    store_url
    return 0
  fi
  stop_servers   # half a cluster, or servers that stopped answering: start over
  load_ports

  local shard port
  for port in "$http_1" "$http_2"; do
    if curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$port/"; then
      die "port $port already answers HTTP, and not from this cluster: stop that server or set PRETZEL_CH_HTTP_PORT_1/_2"
    fi
  done

  cp "$templates/users.xml" "$dir/users.xml"
  render 1
  render 2
  cat >"$dir/ports.env" <<EOF
http_1=$http_1 http_2=$http_2 tcp_1=$tcp_1 tcp_2=$tcp_2 inter_1=$inter_1 inter_2=$inter_2 database=$database
EOF

  for shard in 1 2; do
    # Run from the shard dir: the server writes its preprocessed config next to config.xml.
    (cd "$dir/shard$shard" &&
      exec nohup clickhouse-server --config-file="$dir/shard$shard/config.xml" \
        >"$dir/shard$shard/log/stdout.log" 2>&1 </dev/null 9>&-) &
    echo $! >"$dir/shard$shard/pid"
  done

  local timeout="${PRETZEL_CH_START_TIMEOUT:-30}" deadline
  deadline=$(( $(date +%s) + timeout ))
  local ready=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    ready=0
    for shard in 1 2; do
      if ! live_pid "$shard" >/dev/null; then
        say "shard $shard (http $(http_port "$shard")) exited during start-up"
        log_tail "$shard"
        stop_servers
        exit 1
      fi
      ping_ok "$(http_port "$shard")" && ready=$((ready + 1))
    done
    [ "$ready" -eq 2 ] && break
    sleep 0.2
  done
  if [ "$ready" -ne 2 ]; then
    say "servers did not answer /ping within ${timeout}s"
    log_tail 1
    log_tail 2
    stop_servers
    exit 1
  fi
  say "cluster '$cluster' up: shard 1 http $http_1 tcp $tcp_1, shard 2 http $http_2 tcp $tcp_2 (data in $dir)"
  store_url
}

status() {
  load_ports recorded
  local shard pid up=0
  for shard in 1 2; do
    if pid="$(live_pid "$shard")" && ping_ok "$(http_port "$shard")"; then
      say "shard $shard: running (pid $pid, http $(http_port "$shard"))"
      up=$((up + 1))
    elif pid="$(live_pid "$shard")"; then
      say "shard $shard: process $pid alive but /ping on $(http_port "$shard") does not answer"
    else
      say "shard $shard: stopped"
    fi
  done
  [ "$up" -eq 2 ]
}

# One start/stop at a time per data dir.
with_lock() {
  mkdir -p "$dir"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir/lock"
    flock -w 60 9 || die "another clickhouse.sh holds $dir/lock"
  fi
  "$@"
}

case "${1:-}" in
  start) with_lock start ;;
  stop) with_lock stop_servers ;;
  status) status ;;
  url) load_ports recorded; store_url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
