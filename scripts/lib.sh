# Shared by ./tideline's subcommands. Sourced, not run.
# Everything started here runs in its own session (setsid), so a Ctrl-C reaches only the launcher, which then
# stops each process by the PID it recorded, in reverse order of start.

TL_HOME="${TL_HOME:-$ROOT/.tideline}"
TL_RUN="$TL_HOME/run"
TL_LOGS="$TL_HOME/logs"
TL_DATA="$TL_HOME/data"
MAVEN_VERSION=3.9.9
STARTED=()

say() { printf '\033[1;34m[tideline]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[tideline] error:\033[0m %s\n' "$*" >&2; exit 1; }

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then JAVA=$(command -v java)
  else die "no Java found: install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk) or set JAVA_HOME"; fi
  local major
  major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ "${major%%.*}" -ge 17 ]] || die "Java $major found at $JAVA; Tideline needs 17 or newer"
}

# Maven from PATH, or a copy fetched once from Maven Central into .tideline/tools.
find_maven() {
  if command -v mvn >/dev/null 2>&1; then MVN=$(command -v mvn); return; fi
  local dir="$TL_HOME/tools/apache-maven-$MAVEN_VERSION"
  if [[ ! -x "$dir/bin/mvn" ]]; then
    local url="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.tar.gz"
    say "Maven not found; fetching Maven $MAVEN_VERSION from Maven Central"
    mkdir -p "$TL_HOME/tools"
    if command -v curl >/dev/null 2>&1; then curl -fsSL "$url" | tar -xz -C "$TL_HOME/tools"
    elif command -v wget >/dev/null 2>&1; then wget -qO- "$url" | tar -xz -C "$TL_HOME/tools"
    else die "neither mvn nor curl/wget is available to fetch it"; fi
  fi
  MVN="$dir/bin/mvn"
}

# Builds classes and the runtime classpath file unless they are newer than every source.
build() {
  find_java; find_maven
  local stamp="$ROOT/target/runtime.classpath"
  if [[ -f "$stamp" ]] && [[ -z "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    return
  fi
  say "building (the first time, Maven downloads the dependencies: about a minute)"
  (cd "$ROOT" && "$MVN" -B -q -DskipTests package) || die "build failed"
  # Maven leaves the classpath file alone when it has not changed: the stamp must still say "built now".
  touch "$stamp"
}

classpath() {
  echo "$ROOT/target/classes:$(cat "$ROOT/target/runtime.classpath")"
}

# start NAME COMMAND...: runs COMMAND in its own session, output to .tideline/logs/NAME.log, PID recorded.
start() {
  local name=$1; shift
  mkdir -p "$TL_RUN" "$TL_LOGS"
  setsid "$@" >"$TL_LOGS/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$TL_RUN/$name.pid"
  STARTED+=("$name")
  say "started $name (pid $pid, log .tideline/logs/$name.log)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for NAME PORT SECONDS: until the port accepts connections; fails early if the process died.
wait_for() {
  local name=$1 port=$2 seconds=$3 pid
  pid=$(cat "$TL_RUN/$name.pid")
  local deadline=$((SECONDS + seconds))
  until port_open "$port"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$TL_LOGS/$name.log" >&2; die "$name exited during start-up (log above)"; }
    [[ $SECONDS -lt $deadline ]] || die "$name did not listen on port $port within ${seconds}s (see .tideline/logs/$name.log)"
    sleep 0.3
  done
}

# wait_for_log NAME PATTERN SECONDS: until the log shows PATTERN.
wait_for_log() {
  local name=$1 pattern=$2 seconds=$3 pid
  pid=$(cat "$TL_RUN/$name.pid")
  local deadline=$((SECONDS + seconds))
  until grep -q "$pattern" "$TL_LOGS/$name.log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$TL_LOGS/$name.log" >&2; die "$name exited during start-up (log above)"; }
    [[ $SECONDS -lt $deadline ]] || die "$name not ready within ${seconds}s (see .tideline/logs/$name.log)"
    sleep 0.5
  done
}

# stop_pid_file FILE LABEL: TERM, up to 30 s grace, then KILL.
stop_pid_file() {
  local file=$1 label=$2 pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$label (pid $pid) did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $label (pid $pid)"
  fi
  rm -f "$file"
}

# Stops what this run started, newest first, then any server a helper JVM left behind.
stop_all() {
  local i name
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    name=${STARTED[$i]}
    stop_pid_file "$TL_RUN/$name.pid" "$name"
    stop_pid_file "$TL_RUN/$name.server.pid" "$name server"
  done
  STARTED=()
}

# Leftovers of an earlier run that was itself killed -9.
stop_stale() {
  local f
  for f in "$TL_RUN"/*.pid; do
    [[ -e "$f" ]] || continue
    stop_pid_file "$f" "leftover $(basename "$f" .pid)"
  done
}
