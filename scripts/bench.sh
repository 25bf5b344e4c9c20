# ./tideline bench [--rate N] [--duration S] [--path kafka|http] [--search R1,R2,...] [--json FILE] ...
build
exec "$JAVA" -Xmx1g -cp "$(classpath)" -Dlogback.configurationFile="$ROOT/config/logback-chaos.xml" \
  io.tideline.bench.BenchRun "$@"
