package io.tideline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

import io.tideline.support.TestConfig;

class TidelinePropertiesTest {

    @Test
    void everyTypeIsExactlyOnceUnlessConfiguredOtherwise() {
        TidelineProperties config = TestConfig.properties(Map.of("tideline.guarantees.order-status", "at-least-once"));
        assertThat(config.guaranteeOf("order-status")).isEqualTo(Guarantee.AT_LEAST_ONCE);
        assertThat(config.guaranteeOf("payment")).isEqualTo(Guarantee.EXACTLY_ONCE);
        assertThat(TestConfig.defaults().guaranteeOf("order-status")).isEqualTo(Guarantee.EXACTLY_ONCE);
    }

    @Test
    void financialTypesCannotBeAtLeastOnce() {
        assertThatThrownBy(() -> TestConfig.properties(Map.of("tideline.guarantees.payment", "at-least-once")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("tideline.guarantees.payment: financial event types are always exactly-once");
    }

    @Test
    void unknownTypesAreNamed() {
        assertThatThrownBy(() -> TestConfig.properties(Map.of("tideline.guarantees.invoice", "exactly-once")))
                .rootCause().hasMessageContaining("tideline.guarantees.invoice: unknown event type");
    }

    @Test
    void postgresCommitsAreSynchronousUnlessConfiguredAndOnlyPostgresValuesAreTaken() {
        assertThat(TestConfig.defaults().sink().postgresSynchronousCommit()).isEqualTo("on");
        assertThat(TestConfig.properties(Map.of("tideline.sink.postgres-synchronous-commit", "off")).sink()
                .postgresSynchronousCommit()).isEqualTo("off");
        assertThatThrownBy(() -> TestConfig.properties(Map.of("tideline.sink.postgres-synchronous-commit", "off; drop table events")))
                .rootCause().hasMessageContaining("tideline.sink.postgres-synchronous-commit: expected one of");
    }
}
