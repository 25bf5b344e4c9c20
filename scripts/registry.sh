# ./tideline registry [--server.port=P] [--spring.datasource.url=URL ...]: the schema registry on its own (no pipeline).
# It stores schemas in PostgreSQL: by default the demo's (127.0.0.1:15432), so start one first (./tideline demo, or
# point spring.datasource.url / SPRING_DATASOURCE_URL at yours). Ctrl-C stops it.
build
say "schema registry (Confluent API) on port 8081 unless --server.port says otherwise; PostgreSQL: ${SPRING_DATASOURCE_URL:-127.0.0.1:15432 unless --spring.datasource.url says otherwise}"
exec "$JAVA" -cp "$(classpath)" io.tideline.schema.registry.RegistryApplication "$@"
