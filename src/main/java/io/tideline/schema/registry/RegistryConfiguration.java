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

    /** Tideline's components use the external registry if one is configured, else this one. */
    @Bean
    SchemaSource schemaSource(SchemaRegistry builtIn, TidelineProperties config) {
        String url = config.registry().url();
        return new CachingSchemaSource(url.isBlank() ? new BuiltInSchemaSource(builtIn) : new RegistryClient(url));
    }

    @Bean
    PayloadSchemas payloadSchemas(SchemaSource source, TidelineProperties config) {
        return new PayloadSchemas(source, strategy(config), config.topics().ingest(), config.registry().schemaRefresh());
    }

    @Bean
    TopicSerdes topicSerdes(SchemaSource source, TidelineProperties config) {
        return new TopicSerdes(source, config.topics());
    }

    @Bean
    @ConditionalOnExpression("${tideline.registry.port:8081} > 0")
    RegistryPort registryPort(TidelineProperties config) {
        return new RegistryPort(config.registry().port());
    }

    @Bean
    @ConditionalOnProperty(name = "tideline.registry.register-event-schemas", matchIfMissing = true)
    EventSchemaRegistration eventSchemaRegistration(SchemaSource source, TopicSerdes topicSerdes, TidelineProperties config) {
        return new EventSchemaRegistration(source, topicSerdes, strategy(config), config);
    }

    private static SubjectNameStrategy strategy(TidelineProperties config) {
        return SubjectNameStrategy.valueOf(config.registry().subjectStrategy().toUpperCase(Locale.ROOT));
    }
}
