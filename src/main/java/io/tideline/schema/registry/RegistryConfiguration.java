package io.tideline.schema.registry;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.tideline.config.TidelineProperties;

/** The schema registry served by this process (its API at the server's root paths, as Confluent's). */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

    @Bean
    SchemaRegistry schemaRegistry(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new SchemaRegistry(jdbc, tx);
    }

    /** Ingest and the pipeline read event schemas from the external registry if one is configured, else this one. */
    @Bean
    PayloadSchemas payloadSchemas(SchemaRegistry builtIn, TidelineProperties config) {
        String url = config.registry().url();
        SchemaSource source = url.isBlank() ? new BuiltInSchemaSource(builtIn) : new RegistryClient(url);
        return new PayloadSchemas(source, SubjectNameStrategy.valueOf(config.registry().subjectStrategy().toUpperCase(Locale.ROOT)),
                config.topics().ingest(), config.registry().schemaRefresh());
    }

    @Bean
    @ConditionalOnExpression("${tideline.registry.port:8081} > 0")
    RegistryPort registryPort(TidelineProperties config) {
        return new RegistryPort(config.registry().port());
    }

    @Bean
    @ConditionalOnProperty(name = "tideline.registry.register-event-schemas", matchIfMissing = true)
    EventSchemaRegistration eventSchemaRegistration(SchemaRegistry registry, TidelineProperties config) {
        return new EventSchemaRegistration(registry, config);
    }
}
