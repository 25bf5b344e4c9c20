package io.tideline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.tideline.process.StreamsRunner;
import io.tideline.schema.registry.RegistryApplication;
import io.tideline.schema.registry.RegistryClient;
import io.tideline.store.SinkRunner;

/** The registry as a process of its own: the Confluent API on its PostgreSQL, and nothing of the pipeline. */
@ExtendWith(TestServersExtension.class)
class StandaloneRegistryTest {

    private static final Schema V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    private static final Schema V2_REQUIRED_FIELD = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"total\",\"type\":\"long\"}]}");

    @Test
    void servesTheRegistryApiWithoutThePipeline() throws Exception {
        try (ConfigurableApplicationContext registry = new SpringApplicationBuilder(RegistryApplication.class)
                .profiles(RegistryApplication.PROFILE)
                .run("--server.port=0", "--spring.datasource.url=" + TestServers.current().jdbcUrl())) {
            String url = "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
            assertThat(registry.getBeanNamesForType(StreamsRunner.class)).isEmpty();
            assertThat(registry.getBeanNamesForType(SinkRunner.class)).isEmpty();

            RegistryClient client = new RegistryClient(url);
            String subject = "orders-" + UUID.randomUUID() + "-value";
            int id = client.register(subject, V1);
            assertThat(new RegistryClient(url).byId(id)).isEqualTo(V1);
            RegistryClient.RegistryClientException refused = catchThrowableOfType(RegistryClient.RegistryClientException.class,
                    () -> client.register(subject, V2_REQUIRED_FIELD));
            assertThat(refused.errorCode()).isEqualTo(409); // BACKWARD by default: a new field needs a default

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"db\"").doesNotContain("redis");
        }
    }
}
