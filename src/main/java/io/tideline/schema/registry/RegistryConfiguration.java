package io.tideline.schema.registry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The schema registry served by this process (its API at the server's root paths, as Confluent's). */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

    @Bean
    SchemaRegistry schemaRegistry(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new SchemaRegistry(jdbc, tx);
    }
}
