package io.tideline;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.tideline.config.TidelineProperties;

/**
 * Tideline: events come in at {@code ingest}, are validated against {@code schema}, processed by Kafka Streams in
 * {@code process}, written to PostgreSQL and Redis by {@code store}, read and pushed by {@code serve}, and
 * measured by {@code observe}. Each package's configuration class wires that stage.
 */
@SpringBootApplication
@EnableConfigurationProperties(TidelineProperties.class)
public class TidelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(TidelineApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
