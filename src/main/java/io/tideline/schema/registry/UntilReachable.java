package io.tideline.schema.registry;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up calls to the registry: a refusal (an incompatible schema, say) stops the start at once; a registry that
 * does not answer — PostgreSQL restarting just as Tideline starts — is waited out for a while, as the sinks wait
 * out their stores, rather than failing the whole process.
 */
final class UntilReachable {

    private static final Logger log = LoggerFactory.getLogger(UntilReachable.class);
    /** How long a start may wait for the registry (or its store) to answer at all. */
    static final Duration AT_MOST = Duration.ofMinutes(2);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private UntilReachable() {
    }

    static <T> T call(String what, Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (RegistryException | PayloadSchema.IncompatibleSchemaException refused) {
                throw refused;
            } catch (RegistryClient.RegistryClientException e) {
                if (e.errorCode() < 50000 || System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("{}: {}; retrying", what, e.getMessage());
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("{}: {}; retrying", what, e.toString());
            }
            Thread.sleep(RETRY_EVERY.toMillis()); // a backoff between attempts, not a wait for a condition
        }
    }
}
