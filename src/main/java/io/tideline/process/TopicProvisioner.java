package io.tideline.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tideline.config.TidelineProperties;
import io.tideline.definition.Enrichment;
import io.tideline.definition.PipelineDefinition;

/**
 * Creates Tideline's topics if they are missing (existing ones are left as they are). The log is the source of
 * truth — every read model is rebuilt by replaying it — so the topics keep data by time, not by compaction.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /**
     * Also the reference-data topics of the definition's enrichments, compacted (a reference table keeps the newest
     * record per id), so that the pipeline starts before anyone has published reference data.
     */
    public static void ensureTopics(TidelineProperties config, PipelineDefinition definition) {
        TidelineProperties.Topics t = config.topics();
        TidelineProperties.Kafka kafka = config.kafka();
        String minInsync = Integer.toString(Math.min(2, kafka.replicationFactor()));
        List<NewTopic> wanted = new ArrayList<>(Stream.of(t.ingest(), t.events(), t.aggregates(), t.alerts(), t.deadLetter(),
                        t.metrics(), t.late())
                .map(name -> new NewTopic(name, kafka.partitions(), kafka.replicationFactor())
                        .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)))
                .toList());
        definition.enrichments().stream().map(Enrichment::topic).distinct()
                .map(name -> new NewTopic(name, kafka.partitions(), kafka.replicationFactor()).configs(Map.of(
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync,
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
                .forEach(wanted::add);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                List<String> created = missing.stream().map(NewTopic::name).toList();
                awaitLeaders(admin, created, Duration.ofSeconds(60));
                log.info("created topics {}", created);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("could not create Tideline's topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 60 s", e);
        }
    }

    /**
     * Returns once every partition of the topics has a leader in the metadata the brokers serve. Creating a topic
     * returns when the controller has it; a broker applies it a moment later, and an idempotent producer whose
     * first request to a partition lands in between is refused while a later request is taken — after which the
     * first never fits the partition's sequence and is retried until its delivery timeout (KAFKA-15591; seen here
     * on the bench's first baseline: two minutes of out-of-order rejections). Nothing produces until then.
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (described.values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + topics + " still without a leader after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
