package io.tideline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ValidateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aValidFileIsSummarisedWithEachRulesLane() {
        assertThat(run("config/tideline.yml")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("config/tideline.yml: valid")
                .contains("metric     account-spend [fast]: tumbling windows of payment by key")
                .contains("metric     hourly-spend-by-country [batch]")
                .contains("sequence   paid-not-shipped [standard]: order-status not followed by order-status within PT2H");
        assertThat(err.size()).isZero();
    }

    @Test
    void anInvalidFileExitsWithOneAndEveryProblemWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, """
                metrics:
                  - name: m
                    source: payment
                    window: {type: weekly, size: 1m}
                    aggregate: count
                """);
        assertThat(run(file.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("1 problem in the pipeline definition")
                .contains(file + ":4:20: metrics[0].window.type: 'weekly' is not one of tumbling, hopping, sliding, session");
        assertThat(out.size()).isZero();
    }

    @Test
    void wrongUsageExitsWithTwo() {
        assertThat(run("--help")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: ./tideline validate");
    }
}
