package io.tideline.serve;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tideline.config.TidelineProperties;
import io.tideline.observe.PipelineMetrics;
import io.tideline.process.StreamsRunner;
import io.tideline.store.SinkRunner;
import tools.jackson.databind.ObjectMapper;

/** Wires the serve stage: queries over both read sides and the dashboard's push feed. */
@Configuration(proxyBeanMethods = false)
public class ServeConfiguration {

    @Bean
    ReadModelQueries readModelQueries(StringRedisTemplate redis, ObjectMapper json, TidelineProperties config) {
        return new ReadModelQueries(redis, json, config::guaranteeOf);
    }

    @Bean
    WindowStateQueries windowStateQueries(StreamsRunner streams, TidelineProperties config, ObjectMapper json) {
        return new WindowStateQueries(streams, config.streams().applicationServer(), json);
    }

    @Bean
    MetricHistoryQueries metricHistoryQueries(JdbcTemplate jdbc, ObjectMapper json) {
        return new MetricHistoryQueries(jdbc, json);
    }

    @Bean
    HistoryQueries historyQueries(JdbcTemplate jdbc, TidelineProperties config) {
        return new HistoryQueries(jdbc, config::guaranteeOf);
    }

    @Bean
    DashboardSnapshots dashboardSnapshots(PipelineMetrics metrics, ReadModelQueries readModel, StreamsRunner streams,
                                          SinkRunner sinks, TidelineProperties config) {
        return new DashboardSnapshots(metrics, readModel, streams, sinks.loops(), config.streams().processingGuarantee(),
                config::guaranteeOf);
    }

    /** The snapshots come lazily: the sinks that feed this feed are also what the snapshots describe. */
    @Bean(destroyMethod = "close")
    LiveFeed liveFeed(ObjectMapper json, TidelineProperties config, ReadModelQueries readModel,
                      ObjectProvider<DashboardSnapshots> snapshots) {
        return new LiveFeed(json, config::guaranteeOf, type -> readModel.latest(type, null),
                config.dashboard().pushInterval(), config.dashboard().snapshotInterval(), () -> snapshots.getObject().take());
    }
}
