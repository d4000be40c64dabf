#!/usr/bin/env bash
# Run a local Neo4j Community 5.26 LTS server from plain Maven Central jars.
#
#   neo4j.sh jars     download the server jars into .neo4j/lib (once)
#   neo4j.sh start    write the config, set the initial password, start, wait
#   neo4j.sh stop     stop the server (SIGTERM, then SIGKILL after a timeout)
#   neo4j.sh status   exit 0: up and answering, 3: not running,
#                     1: process alive but not answering (starting, or wrong
#                     password)
#   neo4j.sh log [N|-f]  show the last N (default 100) console lines, or follow
#
# Everything lives under <repo>/.neo4j (lib, conf, data, logs, run), where
# <repo> is two levels above this script, so it works from any directory.
#
# Environment:
#   TOILES_NEO4J_PASSWORD       password of the `neo4j` user (needed by start)
#   TOILES_NEO4J_PORT           Bolt port on 127.0.0.1 (default 7687)
#   TOILES_NEO4J_START_TIMEOUT  seconds to wait for Bolt (default 120)
#   TOILES_NEO4J_STOP_TIMEOUT   seconds before SIGKILL on stop (default 60)
#   TOILES_NEO4J_HEAP           JVM heap, min = max (default 1g)
#   TOILES_NEO4J_GC             garbage collector, parallel or g1 (default: parallel
#                               on 2 cores or fewer, g1 above)
#   TOILES_NEO4J_PAGECACHE      page cache size (default 512m)
#   TOILES_NEO4J_TX_TIMEOUT     server-side transaction timeout (default 120s)
#   TOILES_CYPHER_PASSWORD      when set, start creates (or updates) the database user
#                               of the API's /cypher, TOILES_CYPHER_USER (default
#                               toiles_lecteur), with this password
#   JAVA_HOME                   JDK 17 or 21 to use (default: `java` on PATH)
set -euo pipefail

# --- Locations ---------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

NEO4J_DIR="$REPO_ROOT/.neo4j"
LIB_DIR="$NEO4J_DIR/lib"
CONF_DIR="$NEO4J_DIR/conf"
DATA_DIR="$NEO4J_DIR/data"
LOGS_DIR="$NEO4J_DIR/logs"
RUN_DIR="$NEO4J_DIR/run"
CONF_FILE="$CONF_DIR/neo4j.conf"
PID_FILE="$RUN_DIR/neo4j.pid"
LOCK_FILE="$RUN_DIR/neo4j.lock"
CONSOLE_LOG="$LOGS_DIR/console.log"
JARS_STAMP="$LIB_DIR/.pom.sha256"
PYTHON="$REPO_ROOT/.venv/bin/python"

# --- Settings ----------------------------------------------------------------
PORT="${TOILES_NEO4J_PORT:-7687}"
START_TIMEOUT="${TOILES_NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${TOILES_NEO4J_STOP_TIMEOUT:-60}"
HEAP="${TOILES_NEO4J_HEAP:-1g}"
PAGECACHE="${TOILES_NEO4J_PAGECACHE:-512m}"
# On two cores, G1's concurrent threads and write barriers compete with the one thread
# that runs a load: the parallel collector made a 500,000-flow load 1.2 times faster and
# used 30 % less server CPU (docs/performance.md). G1 is Neo4j's choice for big heaps on
# machines with cores to spare.
CORES="$(nproc 2>/dev/null || echo 2)"
if [ "$CORES" -le 2 ]; then DEFAULT_GC=parallel; else DEFAULT_GC=g1; fi
GC="${TOILES_NEO4J_GC:-$DEFAULT_GC}"
case "$GC" in
  parallel) GC_FLAG=-XX:+UseParallelGC ;;
  g1) GC_FLAG=-XX:+UseG1GC ;;
  *) printf 'neo4j: error: TOILES_NEO4J_GC must be parallel or g1, not %s\n' "$GC" >&2; exit 2 ;;
esac
TX_TIMEOUT="${TOILES_NEO4J_TX_TIMEOUT:-120s}"

SERVER_MAIN="org.neo4j.server.CommunityEntryPoint"  # the server itself
ADMIN_MAIN="org.neo4j.cli.AdminTool"                # what `neo4j-admin` runs

if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

# JVM flags. Neo4j's own launcher takes these from `server.jvm.additional` in
# the neo4j.conf it ships; since we start the JVM ourselves we pass them here.
#
# Java 17 strong encapsulation: Neo4j's page cache and Netty reach into these
# JDK internals (direct buffers, file channels); native libraries (zstd, netty
# epoll) load without warnings. Needed by the server and the admin tool.
MODULE_FLAGS=(
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
  -Dfile.encoding=UTF-8
)
SERVER_FLAGS=(
  # Heap is fixed (min = max) like Neo4j recommends; it must match the conf.
  "-Xms$HEAP" "-Xmx$HEAP"
  "$GC_FLAG"
  # Keep full stack traces even for hot exceptions (readable errors).
  -XX:-OmitStackTraceInFastThrow
  # Let the JIT trust final fields (Neo4j's default; speeds up the kernel).
  -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields
  # Libraries must not trigger full GCs with System.gc().
  -XX:+DisableExplicitGC
  # Die on OOM instead of limping on; a dev server can simply be restarted.
  -XX:+ExitOnOutOfMemoryError
  # Cap the per-thread NIO buffer cache, allow Netty's direct-buffer tricks.
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  # No JMX endpoint for log4j.
  -Dlog4j2.disable.jmx=true
  "${MODULE_FLAGS[@]}"
)
# Deliberately left out of Neo4j's defaults: -XX:+AlwaysPreTouch (would make
# the whole heap resident at once on a shared machine) and the JFR/TLS tuning
# flags (no profiling, TLS is off).

# --- Helpers -----------------------------------------------------------------
log() { printf 'neo4j: %s\n' "$*"; }
die() { printf 'neo4j: error: %s\n' "$*" >&2; exit 1; }

# Take an exclusive lock so parallel `make` jobs don't start two servers.
take_lock() {
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 900 9 || die "could not lock $LOCK_FILE"
  fi
}

# PID of our running server, or nothing. Guards against stale pid files and
# recycled pids by checking that the process really is our server.
server_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$SERVER_MAIN"; then
    echo "$pid"
  fi
}

# Is something accepting TCP connections on the Bolt port?
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# Ask the server over Bolt, with the official Python driver, whether it
# answers a query with our password. Exit codes: 0 answering, 1 not (yet)
# answering, 2 credentials refused, 4 no usable driver (caller falls back).
PROBE_PY='
import os, sys
try:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError
except ImportError:
    sys.exit(4)
uri = "neo4j://127.0.0.1:" + os.environ["PROBE_PORT"]
auth = ("neo4j", os.environ["PROBE_PASSWORD"])
try:
    with GraphDatabase.driver(uri, auth=auth, connection_timeout=3) as driver:
        driver.verify_connectivity()
        # A plain session, not execute_query: no retries, one quick answer.
        with driver.session() as session:
            session.run("RETURN 1").consume()
except AuthError:
    sys.exit(2)
except Exception:
    sys.exit(1)
'

# Check Bolt for real; without the driver, fall back to "port open and the
# log says Started.". Same exit codes as the Python probe (minus 4).
probe() {
  # Cheap test first: spawning Python every second would steal CPU from a
  # starting server on a 2-core machine.
  port_open || return 1
  if [[ -n "${TOILES_NEO4J_PASSWORD:-}" && -x "$PYTHON" ]]; then
    local rc=0
    PROBE_PORT="$PORT" PROBE_PASSWORD="$TOILES_NEO4J_PASSWORD" \
      "$PYTHON" -c "$PROBE_PY" 2>/dev/null || rc=$?
    [[ $rc -ne 4 ]] && return $rc
  fi
  grep -q 'Started\.' "$CONSOLE_LOG" 2>/dev/null
}

require_password() {
  [[ -n "${TOILES_NEO4J_PASSWORD:-}" ]] \
    || die "TOILES_NEO4J_PASSWORD is not set (it becomes the password of the 'neo4j' user; at least 8 characters)"
  (( ${#TOILES_NEO4J_PASSWORD} >= 8 )) \
    || die "TOILES_NEO4J_PASSWORD must be at least 8 characters (Neo4j's minimum password length)"
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (install JDK 17 or 21, or set JAVA_HOME)"
  local version
  version="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  [[ "$version" == 17 || "$version" == 21 ]] \
    || log "warning: Java $version found; Neo4j 5.26 supports Java 17 and 21"
}

# --- jars --------------------------------------------------------------------
# Copy org.neo4j:neo4j and its runtime dependencies into .neo4j/lib. Skipped
# when the stamp records the current pom's hash (i.e. same version, complete).
cmd_jars() {
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$JARS_STAMP" && "$(cat "$JARS_STAMP")" == "$want" ]] \
     && compgen -G "$LIB_DIR/neo4j-5.*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to download the Neo4j jars)"
  log "downloading Neo4j jars from Maven Central into $LIB_DIR ..."
  local t0=$SECONDS
  rm -rf "$LIB_DIR"  # no stale jars from another version on the classpath
  mkdir -p "$LIB_DIR"
  mvn -B -q -f "$POM" dependency:copy-dependencies \
    || die "maven could not fetch the Neo4j jars"
  echo "$want" >"$JARS_STAMP"
  log "jars ready: $(find "$LIB_DIR" -name '*.jar' | wc -l) jars, $(du -sh "$LIB_DIR" | cut -f1), $((SECONDS - t0)) s"
}

# --- config ------------------------------------------------------------------
# Regenerated on every start, so edit this function, not the file.
write_conf() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOGS_DIR" "$RUN_DIR" \
           "$NEO4J_DIR/plugins" "$NEO4J_DIR/import"
  cat >"$CONF_FILE" <<EOF
# Generated by deploy/neo4j/neo4j.sh on every start: edits are overwritten.

# Directories (absolute, so the server does not depend on its cwd).
server.directories.data=$DATA_DIR
server.directories.logs=$LOGS_DIR
server.directories.run=$RUN_DIR
server.directories.lib=$LIB_DIR
server.directories.plugins=$NEO4J_DIR/plugins
server.directories.import=$NEO4J_DIR/import

# Network: Bolt only, plain text, loopback only. No HTTP/HTTPS (no browser).
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false

# Security: user/password authentication is required.
dbms.security.auth_enabled=true

# Memory for a small shared machine. The heap values must match -Xms/-Xmx,
# which neo4j.sh derives from the same variable.
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE

# No LOAD CSV from the server's files, no extension procedures (toiles uses none).
dbms.security.allow_csv_import_from_file_urls=false
dbms.security.procedures.allowlist=

# Kill runaway transactions instead of letting them hold locks forever.
db.transaction.timeout=$TX_TIMEOUT
db.lock.acquisition.timeout=60s

# Keep the transaction logs of a dev database small.
db.tx_log.rotation.retention_policy=1G size

# No phoning home.
dbms.usage_report.enabled=false

# Bolt's network threads wait for a 5 s quiet period, twice, on shutdown;
# 1 s makes 'stop' ~8 s faster. Internal (unsupported) setting of 5.26.
internal.dbms.bolt.netty_server_shutdown_quiet_period=1
EOF
}

# Set the password of the built-in `neo4j` user. Neo4j only honours this
# before the system database is created, i.e. before the very first start,
# so it is skipped once the data directory holds a system database.
set_initial_password() {
  if [[ -d "$DATA_DIR/databases/system" ]]; then
    return 0
  fi
  log "setting the initial password of user 'neo4j'"
  NEO4J_HOME="$NEO4J_DIR" NEO4J_CONF="$CONF_DIR" \
    "$JAVA" -Xmx256m "${MODULE_FLAGS[@]}" -cp "$LIB_DIR/*" "$ADMIN_MAIN" \
    dbms set-initial-password "$TOILES_NEO4J_PASSWORD" >>"$CONSOLE_LOG" 2>&1 \
    || { tail -n 20 "$CONSOLE_LOG" >&2; die "neo4j-admin dbms set-initial-password failed"; }
}

# The separate user of the API's /cypher (TOILES_CYPHER_USER, TOILES_CYPHER_PASSWORD).
READER_PY='
import os
from neo4j import GraphDatabase
auth = ("neo4j", os.environ["TOILES_NEO4J_PASSWORD"])
user, password = os.environ["READER_USER"], os.environ["TOILES_CYPHER_PASSWORD"]
from neo4j.exceptions import ClientError
with GraphDatabase.driver("neo4j://127.0.0.1:" + os.environ["READER_PORT"], auth=auth) as driver:
    created = "CREATE USER $user IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED"
    driver.execute_query(created, user=user, password=password, database_="system")
    try:  # an existing user takes the current password
        driver.execute_query(
            "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED",
            user=user, password=password, database_="system",
        )
    except ClientError as exc:
        if "cannot be the same" not in (exc.message or ""):
            raise
'
ensure_reader() {
  [[ -n "${TOILES_CYPHER_PASSWORD:-}" && -x "$PYTHON" ]] || return 0
  READER_USER="${TOILES_CYPHER_USER:-toiles_lecteur}" READER_PORT="$PORT" \
    "$PYTHON" -c "$READER_PY" || die "could not create the /cypher user ${TOILES_CYPHER_USER:-toiles_lecteur}"
  log "user ${TOILES_CYPHER_USER:-toiles_lecteur} (API /cypher) ready"
}

# --- start -------------------------------------------------------------------
cmd_start() {
  require_password
  take_lock

  local pid
  pid="$(server_pid)"
  if [[ -n "$pid" ]]; then
    local rc=0
    probe || rc=$?
    case $rc in
      0) log "already running (pid $pid) and answering on bolt://127.0.0.1:$PORT"; ensure_reader; return 0 ;;
      2) die "running (pid $pid) but the password is refused: the database was initialised with another password (stop, then delete .neo4j/data to reset)" ;;
      *) log "process $pid exists but does not answer yet; waiting" ;;
    esac
  else
    rm -f "$PID_FILE"
    if port_open; then
      die "port $PORT on 127.0.0.1 is taken by another process (set TOILES_NEO4J_PORT)"
    fi
    check_java
    cmd_jars
    write_conf
    # Keep the previous console output for post-mortems.
    [[ -f "$CONSOLE_LOG" ]] && mv -f "$CONSOLE_LOG" "$CONSOLE_LOG.1"
    : >"$CONSOLE_LOG"
    set_initial_password

    log "starting Neo4j on bolt://127.0.0.1:$PORT (heap $HEAP, page cache $PAGECACHE, $GC GC)"
    # setsid + nohup: the server survives the end of this shell, of `make`,
    # and a Ctrl-C in the calling terminal. Without job control, setsid execs
    # in place, so $! is the JVM's own pid.
    NEO4J_HOME="$NEO4J_DIR" NEO4J_CONF="$CONF_DIR" \
      setsid nohup "$JAVA" "${SERVER_FLAGS[@]}" -cp "$LIB_DIR/*" "$SERVER_MAIN" \
        --home-dir="$NEO4J_DIR" --config-dir="$CONF_DIR" --console-mode \
        </dev/null >>"$CONSOLE_LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
  fi

  # Wait until the server answers a query over Bolt.
  local t0=$SECONDS rc
  while :; do
    rc=0
    probe || rc=$?
    if [[ $rc -eq 0 ]]; then
      log "started (pid $pid) in $((SECONDS - t0)) s: bolt://127.0.0.1:$PORT, user neo4j"
      ensure_reader
      return 0
    fi
    if [[ $rc -eq 2 ]]; then
      die "server is up but refuses TOILES_NEO4J_PASSWORD: the database was initialised with another password (stop, then delete .neo4j/data to reset)"
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "----- last 50 lines of $CONSOLE_LOG -----" >&2
      tail -n 50 "$CONSOLE_LOG" >&2 || true
      rm -f "$PID_FILE"
      die "the server process exited during startup"
    fi
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      echo "----- last 50 lines of $CONSOLE_LOG -----" >&2
      tail -n 50 "$CONSOLE_LOG" >&2 || true
      die "no answer on bolt://127.0.0.1:$PORT after ${START_TIMEOUT} s (server left running as pid $pid; see '$0 stop')"
    fi
    sleep 1
  done
}

# --- stop --------------------------------------------------------------------
cmd_stop() {
  take_lock
  local pid
  pid="$(server_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true   # Neo4j shuts down cleanly on SIGTERM
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= STOP_TIMEOUT )); then
      log "still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped in $((SECONDS - t0)) s"
}

# --- status ------------------------------------------------------------------
cmd_status() {
  local pid rc=0
  pid="$(server_pid)"
  if [[ -z "$pid" ]]; then
    echo "neo4j: not running"
    return 3
  fi
  probe || rc=$?
  case $rc in
    0) echo "neo4j: running (pid $pid), answering on bolt://127.0.0.1:$PORT"; return 0 ;;
    2) echo "neo4j: running (pid $pid), but TOILES_NEO4J_PASSWORD is refused"; return 1 ;;
    *) echo "neo4j: running (pid $pid), not answering on bolt://127.0.0.1:$PORT"; return 1 ;;
  esac
}

# --- log ---------------------------------------------------------------------
cmd_log() {
  [[ -f "$CONSOLE_LOG" ]] || die "no log yet ($CONSOLE_LOG)"
  case "${1:-100}" in
    -f) exec tail -n 50 -f "$CONSOLE_LOG" ;;
    *[!0-9]*) die "usage: $0 log [LINES|-f]" ;;
    *) tail -n "${1:-100}" "$CONSOLE_LOG" ;;
  esac
}

case "${1:-}" in
  jars)   take_lock; cmd_jars ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  log)    shift; cmd_log "$@" ;;
  *)      echo "usage: $0 {jars|start|stop|status|log [LINES|-f]}" >&2; exit 2 ;;
esac
