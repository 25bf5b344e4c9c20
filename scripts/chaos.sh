# ./tideline chaos [--duration S] [--rate N] [--faults N] [--json FILE] [--seed N]
# Runs every part as its own process, injects faults under load, verifies the stores against ground truth.
build
mkdir -p "$TL_HOME/chaos"
exec "$JAVA" -Xmx768m -cp "$(classpath)" -Dlogback.configurationFile="$ROOT/config/logback-chaos.xml" \
  io.tideline.chaos.ChaosRun "$@"
