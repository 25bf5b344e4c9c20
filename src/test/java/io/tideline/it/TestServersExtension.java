package io.tideline.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link TestServers} before the first end-to-end test class and has JUnit close them (stopping every
 * server it started) when the whole run ends.
 */
public class TestServersExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(TestServers.class, key -> TestServers.start(), TestServers.class);
    }
}
