package io.tideline.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tideline.model.Severity;

class DefinitionParserTest {

    private static List<String> problems(String yaml) {
        InvalidDefinitionException e = catchThrowableOfType(InvalidDefinitionException.class,
                () -> DefinitionParser.parse("t.yml", yaml));
        assertThat(e).as("expected the definition to be refused").isNotNull();
        return e.problems().stream().map(DefinitionProblem::toString).toList();
    }

    @Test
    void theShippedDemoDefinitionIsValidAndCoversEveryEventFamily() {
        PipelineDefinition d = DefinitionParser.load(Path.of("config/tideline.yml"));
        List<String> types = new java.util.ArrayList<>();
        d.metrics().forEach(m -> types.addAll(m.types()));
        d.anomalies().forEach(a -> types.addAll(a.types()));
        d.sequences().forEach(s -> types.addAll(List.of(s.first().type(), s.second().type())));
        assertThat(types).contains("payment", "account-activity", "order-status", "metric-sample");
        assertThat(d.metrics()).extracting(m -> m.window().kind()).contains(WindowSpec.Kind.values());
        assertThat(d.metrics()).extracting(MetricDefinition::lane).contains(Lane.values());
        assertThat(d.enrichments()).isNotEmpty();
        assertThat(d.sequences()).anyMatch(SequenceRule::isAbsence).anyMatch(s -> !s.isAbsence());
    }

    @Test
    void readsEveryPartOfAMetric() {
        MetricDefinition m = DefinitionParser.parse("t.yml", """
                metrics:
                  - name: volume
                    source: [payment]
                    where: "amount >= 10"
                    group-by: merchant
                    window: {type: hopping, size: 5m, advance: 1m, grace: 30s}
                    aggregate: [count, sum(amount), p99.9(amount), distinct(account)]
                    to: redis
                    lane: standard
                """).metrics().get(0);
        assertThat(m.name()).isEqualTo("volume");
        assertThat(m.types()).containsExactly("payment");
        assertThat(m.where().toString()).isEqualTo("amount >= 10");
        assertThat(m.groupBy()).isEqualTo("merchant");
        assertThat(m.window()).isEqualTo(WindowSpec.hopping(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(30)));
        assertThat(m.aggregations()).extracting(Aggregation::name).containsExactly("count", "sum_amount", "p99_9_amount", "distinct_account");
        assertThat(m.to()).containsExactly(MetricDefinition.Destination.REDIS);
        assertThat(m.lane()).isEqualTo(Lane.STANDARD);
    }

    @Test
    void defaultsAreTheSafeOnes() {
        PipelineDefinition d = DefinitionParser.parse("t.yml", """
                metrics:
                  - {name: m, source: payment, group-by: key, window: {type: tumbling, size: 1m}, aggregate: count}
                anomalies:
                  - {name: a, source: payment, ewma: {field: amount}}
                """);
        assertThat(d.metrics().get(0).lane()).isEqualTo(Lane.FAST);
        assertThat(d.metrics().get(0).window().grace()).isZero();
        assertThat(d.metrics().get(0).to()).containsExactlyInAnyOrder(MetricDefinition.Destination.values());
        AnomalyRule a = d.anomalies().get(0);
        assertThat(a.key()).isEqualTo("key");
        assertThat(a.severity()).isEqualTo(Severity.WARNING);
        assertThat(a.detector()).isEqualTo(new AnomalyRule.Ewma("amount", 0.1, 10, 4.0));
    }

    @Test
    void everyProblemIsReportedWithItsLineAndColumn() {
        assertThat(problems("""
                metrics:
                  - name: volume
                    source: [payment, paymnet]
                    window: {type: tumbling, size: 5 minutes}
                    aggregate: [count, sum(merchant), avg(amount)]
                    colour: blue
                """)).containsExactly(
                "t.yml:6:5: metrics[0]: unknown key 'colour'; expected one of aggregate, group-by, lane, name, source, to, where, window",
                "t.yml:3:23: metrics[0].source: unknown event type 'paymnet'; known types: payment, account-activity, order-status, metric-sample",
                "t.yml:4:36: metrics[0].window.size: '5 minutes' is not a duration (e.g. 500ms, 10s, 5m, 2h)",
                "t.yml:5:24: metrics[0].aggregate: 'merchant' of payment events is not a number",
                "t.yml:5:39: metrics[0].aggregate: unknown aggregation \"avg\"; expected count, sum, min, max, mean, distinct or pNN");
    }

    @Test
    void fieldsAreCheckedAgainstTheEventSchemas() {
        assertThat(problems("""
                metrics:
                  - name: m
                    source: payment
                    group-by: merchnt
                    window: {type: tumbling, size: 1m}
                    aggregate: [sum(currency)]
                """)).containsExactly(
                "t.yml:6:17: metrics[0].aggregate: 'currency' of payment events is not a number",
                "t.yml:4:15: metrics[0].group-by: payment events have no field 'merchnt' (fields: paymentId, account, merchant, amount, currency, country, channel; attributes: id, key, source, subject, time, type)");
    }

    @Test
    void conditionsNameTheColumnOfTheirSyntaxError() {
        assertThat(problems("""
                anomalies:
                  - name: a
                    source: payment
                    where: "amount >> 5"
                    velocity: {count: 3, within: 1m}
                """)).containsExactly("t.yml:4:12: anomalies[0].where: expected a field or a value, found '>' (column 9)");
    }

    @Test
    void lanesThatCannotHoldTheRuleAreRefused() {
        assertThat(problems("""
                metrics:
                  - name: m
                    source: payment
                    group-by: merchant
                    window: {type: sliding, size: 1m}
                    aggregate: count
                    lane: batch
                sequences:
                  - name: s
                    key: customer
                    first: {type: order-status}
                    then: {type: order-status}
                    within: 1h
                    lane: fast
                """)).containsExactly(
                "t.yml:5:13: metrics[0].window: the batch lane computes tumbling windows only (from the history)",
                "t.yml:14:11: sequences[0].lane: the fast lane keys by 'key' (the partition key) only: keying by 'customer' needs a repartition hop; use lane standard");
    }

    @Test
    void sequencesNeedExactlyOneSecondStepAndAKnownType() {
        assertThat(problems("""
                sequences:
                  - name: s
                    first: {type: order-status, where: "first.status == 'PAID'"}
                    within: 1h
                  - name: s
                    first: {type: order}
                    then: {type: order-status}
                    within: 1h
                """)).containsExactly(
                "t.yml:3:40: sequences[0].first.where: 'first.status': only the second step's condition can read the first event",
                "t.yml:2:5: sequences[0]: declare either 'then' (A followed by B) or 'not-followed-by' (A not followed by B), not neither",
                "t.yml:5:11: sequences[1].name: 's' is declared twice (names are unique across the file)",
                "t.yml:6:19: sequences[1].first.type: unknown event type 'order'; known types: payment, account-activity, order-status, metric-sample");
    }

    @Test
    void yamlSyntaxErrorsNameTheirLine() {
        assertThat(problems("""
                metrics:
                  - name: m
                     source: payment
                """)).hasSize(1).first().asString().startsWith("t.yml:3:").contains("not valid YAML");
    }

    @Test
    void aMissingFileIsAProblemToo() {
        assertThatThrownBy(() -> DefinitionParser.load(Path.of("no/such/tideline.yml")))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("cannot read the file");
    }
}
