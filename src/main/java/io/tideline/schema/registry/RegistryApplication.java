package io.tideline.schema.registry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;

import io.tideline.config.TidelineProperties;

/**
 * The schema registry on its own ({@code ./tideline registry}): the same API and storage as the one inside every
 * Tideline process, without the pipeline — for producers' teams, or a registry shared by several deployments. Its
 * profile keeps the full application's component scan from picking it up.
 */
@Profile(RegistryApplication.PROFILE)
@SpringBootApplication
@EnableConfigurationProperties(TidelineProperties.class)
public class RegistryApplication {

    /** Activates this application and its settings ({@code application-registry-standalone.yml}). */
    public static final String PROFILE = "registry-standalone";

    public static void main(String[] args) {
        new SpringApplicationBuilder(RegistryApplication.class).profiles(PROFILE).run(args);
    }
}
