package io.tideline.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tideline.definition.InvalidDefinitionException;
import io.tideline.support.TestConfig;

/** The definition bean: none configured is none; a malformed file stops the start-up naming the line. */
class DefinitionAtStartUpTest {

    @Test
    void noFileConfiguredMeansNoDeclaredAnalytics() {
        assertThat(new ProcessConfiguration().pipelineDefinition(TestConfig.defaults()).isEmpty()).isTrue();
    }

    @Test
    void aMalformedFileFailsTheStartUpWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tideline.yml");
        Files.writeString(file, """
                anomalies:
                  - name: spikes
                    source: payment
                    zscore: {field: amont}
                """);
        assertThatThrownBy(() -> new ProcessConfiguration().pipelineDefinition(
                TestConfig.properties(Map.of("tideline.analytics.definition", file.toString()))))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(file + ":4:21: anomalies[0].zscore.field: payment events have no field 'amont'");
    }
}
