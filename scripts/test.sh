# ./tideline test [maven args]: the whole suite: a smoke run of ./tideline demo, then unit and integration tests. Tests start (and stop) their own Kafka,
# PostgreSQL and Redis in the test JVM; the browser test needs Debian's chromium, installed here if missing.
ensure_chromium() {
  if [[ -n "${TIDELINE_CHROMIUM:-}" ]]; then return; fi
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then export TIDELINE_CHROMIUM=$(command -v "$candidate"); return; fi
  done
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the dashboard browser test"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null || die "could not install chromium"
    export TIDELINE_CHROMIUM=$(command -v chromium)
  else
    die "the dashboard test needs Chromium: install it (apt-get install chromium) or set TIDELINE_CHROMIUM to its path"
  fi
}

find_java; find_maven
ensure_chromium
cd "$ROOT"
# The demo as a user runs it, and a short chaos run (two faults of each kind), first: the Maven summary below
# stays the run's closing lines.
bash "$ROOT/scripts/demo-smoke.sh"
"$ROOT/tideline" chaos --duration 90 --rate 300 --faults 2 --json "$ROOT/target/chaos-short.json"
exec "$MVN" -B verify "$@"
