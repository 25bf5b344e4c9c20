package io.tideline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class CommandLineArgsTest {

    private static final Set<String> OPTIONS = Set.of("--rate", "--app");

    @Test
    void knownOptionsWithTheirValuesPass() {
        assertThat(CommandLineArgs.unknownOption(new String[] {"--rate", "500", "--app", "--tideline.x=y"}, OPTIONS)).isEmpty();
        assertThat(CommandLineArgs.unknownOption(new String[0], OPTIONS)).isEmpty();
    }

    @Test
    void aTypoOrHelpIsNamedNotTakenForTheDefaults() {
        assertThat(CommandLineArgs.unknownOption(new String[] {"--rate", "500", "--durration", "60"}, OPTIONS)).contains("--durration");
        assertThat(CommandLineArgs.unknownOption(new String[] {"--help"}, OPTIONS)).contains("--help");
        assertThat(CommandLineArgs.unknownOption(new String[] {"500"}, OPTIONS)).contains("500");
    }

    @Test
    void theOptionsTakenAreThoseTheUsageNames() {
        assertThat(CommandLineArgs.optionsIn("""
                usage: ./tideline x [options]   (docs/cli.md)
                  --rate N      offered events/s; --hot-key F: a share
                  --app "ARG"   extra arguments""")).containsExactlyInAnyOrder("--rate", "--hot-key", "--app");
    }
}
