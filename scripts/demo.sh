# ./tideline demo [--rate N] : the pipeline on local defaults with synthetic load and the live dashboard.
RATE=300
while [[ $# -gt 0 ]]; do
  case $1 in
    --rate) RATE=${2:?--rate needs a number}; shift 2 ;;
    --rate=*) RATE=${1#--rate=}; shift ;;
    -h|--help) echo "usage: ./tideline demo [--rate EVENTS_PER_SECOND]   (default 300)"; exit 0 ;;
    *) die "unknown option $1 (see ./tideline demo --help)" ;;
  esac
done
[[ "$RATE" =~ ^[0-9]+$ && "$RATE" -gt 0 ]] || die "--rate must be a positive whole number, got '$RATE'"

KAFKA_PORT=${TIDELINE_LOCAL_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))
PG_PORT=${TIDELINE_LOCAL_POSTGRES_PORT:-15432}
REDIS_PORT=${TIDELINE_LOCAL_REDIS_PORT:-16379}
HTTP_PORT=${SERVER_PORT:-8080}
REGISTRY_PORT=${TIDELINE_REGISTRY_PORT:-8081}

build
CP=$(classpath)
mkdir -p "$TL_RUN" "$TL_LOGS" "$TL_DATA"
stop_stale
trap 'stop_all' EXIT
trap 'echo; say "stopping"; exit 0' INT TERM
LOGBACK="-Dlogback.configurationFile=$ROOT/config/logback-devstack.xml"

port_open "$HTTP_PORT" && die "port $HTTP_PORT is in use: stop what runs there or set SERVER_PORT"
if [[ "$REGISTRY_PORT" -gt 0 ]]; then
  port_open "$REGISTRY_PORT" && die "port $REGISTRY_PORT is in use: stop what runs there or set TIDELINE_REGISTRY_PORT (-1: none)"
fi

if [[ -z "${TIDELINE_KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is in use; set TIDELINE_KAFKA_BOOTSTRAP_SERVERS to use that broker"
  props="$TL_RUN/kafka.properties"
  cat >"$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$TL_DATA/kafka
PROPS
  cat "$ROOT/src/main/resources/devstack/kafka-broker.properties" >>"$props"
  if [[ ! -f "$TL_DATA/kafka/meta.properties" ]]; then
    cluster_id=$("$JAVA" $LOGBACK -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "$JAVA" $LOGBACK -cp "$CP" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" >"$TL_LOGS/kafka-format.log" 2>&1 \
      || { cat "$TL_LOGS/kafka-format.log" >&2; die "could not format Kafka's storage"; }
  fi
  start kafka "$JAVA" -Xms512m -Xmx512m -XX:+UseG1GC $LOGBACK -cp "$CP" kafka.Kafka "$props"
  export TIDELINE_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
else
  say "using Kafka at $TIDELINE_KAFKA_BOOTSTRAP_SERVERS"
fi

if [[ -z "${SPRING_DATASOURCE_URL:-}" ]]; then
  port_open "$PG_PORT" && die "port $PG_PORT is in use; set SPRING_DATASOURCE_URL (and _USERNAME/_PASSWORD) to use that server"
  start postgres "$JAVA" -Xmx128m $LOGBACK -cp "$CP" io.tideline.devstack.LocalPostgres \
    --port "$PG_PORT" --data-dir "$TL_DATA/postgres" --pid-file "$TL_RUN/postgres.server.pid"
  export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
else
  say "using PostgreSQL at $SPRING_DATASOURCE_URL"
fi

if [[ -z "${SPRING_DATA_REDIS_HOST:-}${SPRING_DATA_REDIS_URL:-}" ]]; then
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is in use; set SPRING_DATA_REDIS_HOST/PORT to use that server"
  start redis "$JAVA" -Xmx64m $LOGBACK -cp "$CP" io.tideline.devstack.LocalRedis \
    --port "$REDIS_PORT" --pid-file "$TL_RUN/redis.server.pid"
  export SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT"
else
  say "using Redis at ${SPRING_DATA_REDIS_URL:-$SPRING_DATA_REDIS_HOST}"
fi

[[ " ${STARTED[*]} " == *" kafka "* ]] && wait_for kafka "$KAFKA_PORT" 60
[[ " ${STARTED[*]} " == *" postgres "* ]] && wait_for_log postgres "ready (server pid" 90
[[ " ${STARTED[*]} " == *" redis "* ]] && wait_for_log redis "ready (server pid" 30

DEFINITION=${TIDELINE_ANALYTICS_DEFINITION:-$ROOT/config/tideline.yml}
start tideline "$JAVA" -Xms1g -Xmx1g -XX:+UseG1GC -cp "$CP" io.tideline.TidelineApplication --server.port="$HTTP_PORT" \
  --tideline.streams.state-dir="$TL_DATA/streams" --tideline.analytics.definition="$DEFINITION"
wait_for_log tideline "Started TidelineApplication" 120

start loadgen "$JAVA" -Xmx256m $LOGBACK -cp "$CP" io.tideline.loadgen.LoadGenerator \
  --bootstrap "$TIDELINE_KAFKA_BOOTSTRAP_SERVERS" --rate "$RATE" --reference-data true

cat <<BANNER

  Tideline is running with $RATE synthetic events/s (anomalies injected).

    Dashboard     http://localhost:$HTTP_PORT/
    Ingest API    POST http://localhost:$HTTP_PORT/v1/events
    Health        http://localhost:$HTTP_PORT/actuator/health
    Metrics       http://localhost:$HTTP_PORT/actuator/prometheus
    Schemas       http://localhost:$REGISTRY_PORT/subjects (Confluent-compatible schema registry)
    Definition    http://localhost:$HTTP_PORT/v1/definition ($DEFINITION: metrics, rules, lanes)

  Logs in .tideline/logs/. Press Ctrl-C to stop everything.

BANNER
app_pid=$(cat "$TL_RUN/tideline.pid")
while kill -0 "$app_pid" 2>/dev/null; do sleep 1; done
die "Tideline exited unexpectedly; see .tideline/logs/tideline.log"
