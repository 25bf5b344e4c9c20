# ./tideline dlq list [--limit N] | ./tideline dlq redrive PARTITION:OFFSET...   (against TIDELINE_URL)
build
exec "$JAVA" -cp "$(classpath)" -Dlogback.configurationFile="$ROOT/config/logback-chaos.xml" io.tideline.serve.DeadLetterCli "$@"
