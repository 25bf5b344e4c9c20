package io.tideline.schema.registry;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Opens the registry's own port (8081 by default, where Confluent's clients look) on the same server: the API is
 * the same on either port, so clients configured with {@code schema.registry.url=http://host:8081} need nothing
 * else.
 */
final class RegistryPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final int port;

    RegistryPort(int port) {
        this.port = port;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        factory.addAdditionalConnectors(connector);
    }
}
