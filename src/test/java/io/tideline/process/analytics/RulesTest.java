package io.tideline.process.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tideline.model.AccountAction;
import io.tideline.model.Alert;
import io.tideline.model.EventEnvelope;
import io.tideline.model.OrderStatus;
import io.tideline.model.Severity;

/** Each anomaly detector and each kind of sequence rule, with enrichment, on exact inputs. */
class RulesTest {

    @TempDir
    Path stateDir;

    private AnalyticsDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-11-22T" + hhmmss + "Z");
    }

    @Test
    void zscoreFlagsAValueFarFromTheKeysRecentValuesAndKeepsItOutOfTheBaseline() {
        driver = new AnalyticsDriver(stateDir, """
                anomalies:
                  - name: big-payment
                    source: payment
                    zscore: {field: amount, window: 10m, min-samples: 5, threshold: 3}
                    severity: critical
                """);
        for (String amount : List.of("10", "11", "9", "10", "10")) {
            driver.payment("a1", "m1", amount, at("10:00:01"));
        }
        assertThat(driver.alerts.isEmpty()).as("no judgement before min-samples").isTrue();
        EventEnvelope outlier = driver.payment("a1", "m1", "100", at("10:00:02"));
        driver.payment("a1", "m1", "10", at("10:00:03"));

        List<Alert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.getAlertId()).isEqualTo("big-payment:" + outlier.getId());
        assertThat(a.getRule()).isEqualTo("big-payment");
        assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.getSeriesKey()).isEqualTo("a1");
        assertThat(a.getObserved()).isEqualTo(100.0);
        assertThat(a.getBaselineMean()).isEqualTo(10.0);
        assertThat(a.getBaselineStddev()).isCloseTo(Math.sqrt(0.4), within(1e-12));
        assertThat(a.getScore()).isCloseTo(90 / Math.sqrt(0.4), within(1e-9));
    }

    @Test
    void zscoreForgetsValuesOlderThanItsWindow() {
        driver = new AnalyticsDriver(stateDir, """
                anomalies:
                  - name: big-payment
                    source: payment
                    zscore: {field: amount, window: 1m, min-samples: 3, threshold: 3}
                """);
        for (String amount : List.of("10", "11", "9")) {
            driver.payment("a1", "m1", amount, at("10:00:00"));
        }
        driver.payment("a1", "m1", "100", at("10:05:00")); // the baseline is over 1 m old: nothing to judge by

        assertThat(driver.alerts.isEmpty()).isTrue();
    }

    @Test
    void ewmaFlagsAValueFarFromTheMovingAverageOnceWarmedUp() {
        driver = new AnalyticsDriver(stateDir, """
                anomalies:
                  - name: spend-shift
                    source: payment
                    ewma: {field: amount, alpha: 0.5, min-samples: 3, threshold: 3}
                """);
        // alpha 0.5: mean 10, 11, 10.5, 11.25; variance 0, 1, 0.75, 0.9375 (12 at n=3 scores 1.7: no alert)
        for (String amount : List.of("10", "12", "10", "12")) {
            driver.payment("a1", "m1", amount, at("10:00:01"));
        }
        assertThat(driver.alerts.isEmpty()).isTrue();
        driver.payment("a1", "m1", "50", at("10:00:02"));

        Alert a = driver.alerts.readValue();
        assertThat(a.getBaselineMean()).isEqualTo(11.25);
        assertThat(a.getBaselineStddev()).isCloseTo(Math.sqrt(0.9375), within(1e-12));
        assertThat(a.getScore()).isCloseTo(38.75 / Math.sqrt(0.9375), within(1e-9));
        assertThat(driver.alerts.isEmpty()).isTrue();
    }

    @Test
    void velocityFiresOncePerBurstOfMoreThanCountEventsWithinTheTime() {
        driver = new AnalyticsDriver(stateDir, """
                anomalies:
                  - name: login-failures
                    source: account-activity
                    where: "action == 'LOGIN_FAILED'"
                    velocity: {count: 3, within: 1m}
                """);
        driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at("10:00:00"));
        driver.activity("a1", AccountAction.LOGIN, "DE", at("10:00:05")); // not a failure: not counted
        driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at("10:00:10"));
        driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at("10:00:20"));
        assertThat(driver.alerts.isEmpty()).isTrue();
        EventEnvelope fourth = driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at("10:00:30"));
        driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at("10:00:40")); // same burst
        driver.activity("a2", AccountAction.LOGIN_FAILED, "DE", at("10:00:40")); // another key

        List<Alert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).extracting(Alert::getEventId).containsExactly(fourth.getId());
        assertThat(alerts.get(0).getObserved()).isEqualTo(4.0);

        for (String t : List.of("10:01:40", "10:01:50", "10:02:00", "10:02:10")) {
            driver.activity("a1", AccountAction.LOGIN_FAILED, "DE", at(t)); // a new burst, a minute after the alert
        }
        assertThat(driver.alerts.readValuesToList()).hasSize(1);
    }

    @Test
    void followedByMatchesWithinTheTimeUsingReferenceData() {
        driver = new AnalyticsDriver(stateDir, """
                enrichments:
                  - name: accounts
                    topic: test.accounts
                    join-on: account
                sequences:
                  - name: takeover
                    first: {type: account-activity, where: "action == 'PASSWORD_CHANGE'"}
                    then: {type: account-activity, where: "action == 'LOGIN' and country != accounts.homeCountry"}
                    within: 30s
                    severity: critical
                """);
        driver.reference("test.accounts").pipeInput("a1", "{\"homeCountry\": \"DE\", \"tier\": \"gold\"}");
        EventEnvelope change = driver.activity("a1", AccountAction.PASSWORD_CHANGE, "DE", at("10:00:00"));
        driver.activity("a1", AccountAction.LOGIN, "DE", at("10:00:05")); // home country: fine
        EventEnvelope foreign = driver.activity("a1", AccountAction.LOGIN, "BR", at("10:00:10"));
        driver.activity("a1", AccountAction.LOGIN, "BR", at("10:00:20")); // the change is used up
        driver.activity("a1", AccountAction.PASSWORD_CHANGE, "DE", at("10:01:00"));
        driver.activity("a1", AccountAction.LOGIN, "BR", at("10:01:31")); // 31 s: too late

        List<Alert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getAlertId()).isEqualTo("takeover:" + change.getId() + ":" + foreign.getId());
        assertThat(alerts.get(0).getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts.get(0).getObserved()).isEqualTo(10_000.0);
        assertThat(alerts.get(0).getMessage()).contains("PT10S");
    }

    @Test
    void followedByCanCompareWithTheFirstEventAndMissingReferenceDataIsNoMatch() {
        driver = new AnalyticsDriver(stateDir, """
                enrichments:
                  - name: accounts
                    topic: test.accounts
                    join-on: account
                sequences:
                  - name: country-hop
                    first: {type: account-activity, where: "action == 'LOGIN'"}
                    then: {type: account-activity, where: "action == 'LOGIN' and country != first.country and accounts.tier != null"}
                    within: 1m
                """);
        driver.reference("test.accounts").pipeInput("a1", "{\"tier\": \"gold\"}");
        driver.reference("test.accounts").pipeInput("a2", "not json");
        driver.activity("a1", AccountAction.LOGIN, "DE", at("10:00:00"));
        driver.activity("a1", AccountAction.LOGIN, "DE", at("10:00:10"));
        EventEnvelope hop = driver.activity("a1", AccountAction.LOGIN, "FR", at("10:00:20"));
        driver.activity("a2", AccountAction.LOGIN, "DE", at("10:00:00"));
        driver.activity("a2", AccountAction.LOGIN, "FR", at("10:00:20")); // a2's reference is unreadable: no tier

        assertThat(driver.alerts.readValuesToList()).extracting(Alert::getEventId).containsExactly(hop.getId());
        assertThat(driver.meters.stageCount("enrich", "malformed_reference")).as("both a2 events met it").isEqualTo(2);
    }

    @Test
    void metricsCanGroupByAndAggregateReferenceFields() {
        driver = new AnalyticsDriver(stateDir, """
                enrichments:
                  - {name: merchants, topic: test.merchants, join-on: merchant}
                metrics:
                  - name: by-category
                    source: payment
                    group-by: merchants.category
                    window: {type: tumbling, size: 1m}
                    aggregate: [count, sum(merchants.fee)]
                """);
        driver.reference("test.merchants").pipeInput("m1", "{\"category\": \"travel\", \"fee\": 1.5}");
        driver.reference("test.merchants").pipeInput("m2", "{\"category\": \"travel\", \"fee\": 2}");
        driver.payment("a1", "m1", "10", at("10:00:01"));
        driver.payment("a2", "m2", "10", at("10:00:02"));
        driver.payment("a3", "m3", "10", at("10:00:03")); // no reference: no category, not grouped
        driver.advanceWallClock(Duration.ofSeconds(1));

        List<io.tideline.model.MetricResult> results = driver.results();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getGroupKey()).isEqualTo("travel");
        assertThat(results.get(0).getCount()).isEqualTo(2);
        assertThat(results.get(0).getValues().get("sum_merchants_fee")).isEqualTo(3.5);
    }

    @Test
    void absenceFiresWhenEventTimePassesTheDeadlineOrOnTheWallClockWhenEverythingIsQuiet() {
        driver = new AnalyticsDriver(stateDir, """
                sequences:
                  - name: paid-not-shipped
                    first: {type: order-status, where: "status == 'PAID'"}
                    not-followed-by: {type: order-status, where: "status == 'SHIPPED'"}
                    within: 2h
                """);
        driver.order("o1", OrderStatus.PAID, at("10:00:00"));
        driver.order("o1", OrderStatus.SHIPPED, at("11:00:00")); // in time
        EventEnvelope o2 = driver.order("o2", OrderStatus.PAID, at("10:30:00"));
        // event time passes o2's deadline (only events the rule can use reach it: a CREATED would not)
        driver.order("o3", OrderStatus.SHIPPED, at("12:30:00"));

        List<Alert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).extracting(Alert::getAlertId).containsExactly("paid-not-shipped:" + o2.getId());
        assertThat(alerts.get(0).getSeriesKey()).isEqualTo("o2");
        assertThat(alerts.get(0).getMessage()).contains("not followed by order-status within PT2H");

        EventEnvelope o4 = driver.order("o4", OrderStatus.PAID, at("12:31:00"));
        driver.advanceWallClock(Duration.ofMinutes(119));
        assertThat(driver.alerts.isEmpty()).as("deadline not reached yet").isTrue();
        driver.advanceWallClock(Duration.ofMinutes(2)); // nothing arrives: the wall clock carries event time on
        assertThat(driver.alerts.readValuesToList()).extracting(Alert::getAlertId).containsExactly("paid-not-shipped:" + o4.getId());
    }
}
