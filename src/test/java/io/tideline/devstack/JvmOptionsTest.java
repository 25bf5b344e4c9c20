package io.tideline.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void aCollectorOfTheCallersReplacesTheDefaultOne() {
        JvmOptions options = JvmOptions.of("-Xmx1g", "-XX:+UseG1GC").with(List.of("-XX:+UseParallelGC"));

        assertThat(options.resolved()).containsExactly("-Xmx1g", "-XX:+UseParallelGC");
    }

    @Test
    void otherOptionsComeAfterTheDefaultsSoTheyWin() {
        JvmOptions options = JvmOptions.of("-Xmx1g", "-XX:+UseG1GC").with(List.of("-Xmx2g", "-XX:MaxGCPauseMillis=20"));

        assertThat(options.resolved()).containsExactly("-Xmx1g", "-XX:+UseG1GC", "-Xmx2g", "-XX:MaxGCPauseMillis=20");
    }

    @Test
    void withoutOverridesTheDefaultsStand() {
        assertThat(JvmOptions.of("-Xmx512m").resolved()).containsExactly("-Xmx512m");
    }
}
