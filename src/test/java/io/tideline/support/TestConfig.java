package io.tideline.support;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.tideline.config.TidelineProperties;

/** Tideline's configuration with its real defaults, bound the way Spring Boot binds it, plus overrides. */
public final class TestConfig {

    private TestConfig() {
    }

    public static TidelineProperties properties(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides)).bindOrCreate("tideline", TidelineProperties.class);
    }

    public static TidelineProperties defaults() {
        return properties(Map.of());
    }
}
