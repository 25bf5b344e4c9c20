package io.tideline.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import io.tideline.model.Alert;
import io.tideline.model.MetricResult;

class CachingSchemaSourceTest {

    /** A registry that can stop answering, as the built-in one does while its PostgreSQL restarts. */
    private static final class Outage implements SchemaSource {
        final InMemorySchemaSource schemas = new InMemorySchemaSource();
        boolean down;

        private void answer() {
            if (down) {
                throw new IllegalStateException("registry unreachable");
            }
        }

        @Override
        public Schema byId(int id) {
            answer();
            return schemas.byId(id);
        }

        @Override
        public Optional<Registered> latest(String subject) {
            answer();
            return schemas.latest(subject);
        }

        @Override
        public int register(String subject, Schema schema) {
            answer();
            return schemas.register(subject, schema);
        }

        @Override
        public int lookup(String subject, Schema schema) {
            answer();
            return schemas.lookup(subject, schema);
        }
    }

    private final Outage registry = new Outage();
    private final CachingSchemaSource cached = new CachingSchemaSource(registry);

    @Test
    void aSchemaRegisteredOnceIsAnsweredWhileTheRegistryIsDown() {
        int id = cached.register("tideline.metrics-value", MetricResult.getClassSchema());
        registry.down = true;

        assertThat(cached.register("tideline.metrics-value", MetricResult.getClassSchema())).isEqualTo(id);
        assertThat(cached.lookup("tideline.metrics-value", MetricResult.getClassSchema())).isEqualTo(id);
        assertThat(cached.byId(id)).isEqualTo(MetricResult.getClassSchema());
    }

    @Test
    void whatWasNotAskedBeforeStillGoesToTheRegistryAndAFailureIsNotRemembered() {
        registry.down = true;
        assertThatThrownBy(() -> cached.register("tideline.alerts-value", Alert.getClassSchema()))
                .hasMessageContaining("unreachable");
        assertThatThrownBy(() -> cached.latest("tideline.alerts-value")).hasMessageContaining("unreachable");

        registry.down = false;
        int id = cached.register("tideline.alerts-value", Alert.getClassSchema());
        assertThat(cached.latest("tideline.alerts-value")).map(SchemaSource.Registered::id).contains(id);
    }

    @Test
    void theSchemaOfTheNewestVersionsIdIsRememberedToo() {
        int id = registry.register("tideline.alerts-value", Alert.getClassSchema());
        assertThat(cached.latest("tideline.alerts-value")).map(SchemaSource.Registered::id).contains(id);
        registry.down = true;

        assertThat(cached.byId(id)).isEqualTo(Alert.getClassSchema());
    }

    @Test
    void theNewestVersionIsAlwaysAskedFor() {
        cached.register("tideline.alerts-value", Alert.getClassSchema());
        registry.down = true;

        assertThatThrownBy(() -> cached.latest("tideline.alerts-value")).hasMessageContaining("unreachable");
    }
}
