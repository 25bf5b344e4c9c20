package io.tideline.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import io.tideline.schema.registry.CompatibilityChecker.RegisteredSchema;

class CompatibilityCheckerTest {

    private final CompatibilityChecker checker = new CompatibilityChecker();

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[" + fields + "]}");
    }

    private static final Schema V1 = record("{\"name\":\"amount\",\"type\":\"string\"}");
    private static final Schema WITH_OPTIONAL = record("{\"name\":\"amount\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final Schema WITH_REQUIRED = record("{\"name\":\"amount\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":\"string\"}");
    private static final Schema WITHOUT_AMOUNT = record("");
    private static final Schema AMOUNT_AS_INT = record("{\"name\":\"amount\",\"type\":\"int\",\"default\":0}");

    private List<CompatibilityChecker.Problem> check(Schema candidate, CompatibilityLevel level, Schema... registered) {
        List<RegisteredSchema> versions = new java.util.ArrayList<>();
        for (int i = 0; i < registered.length; i++) {
            versions.add(new RegisteredSchema(i + 1, registered[i]));
        }
        return checker.check(candidate, versions, level);
    }

    @Test
    void aNewOptionalFieldIsCompatibleEveryWay() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(check(WITH_OPTIONAL, level, V1)).as(level.name()).isEmpty();
        }
    }

    @Test
    void aNewFieldWithoutDefaultBreaksBackwardButNotForward() {
        List<CompatibilityChecker.Problem> problems = check(WITH_REQUIRED, CompatibilityLevel.BACKWARD, V1);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("READER_FIELD_MISSING_DEFAULT_VALUE");
            assertThat(p.field()).isEqualTo("note");
            assertThat(p.version()).isEqualTo(1);
        });
        assertThat(check(WITH_REQUIRED, CompatibilityLevel.FORWARD, V1)).isEmpty();
        assertThat(check(WITH_REQUIRED, CompatibilityLevel.FULL, V1)).hasSize(1);
        assertThat(check(WITH_REQUIRED, CompatibilityLevel.NONE, V1)).isEmpty();
    }

    @Test
    void aRemovedFieldWithoutDefaultBreaksForwardButNotBackward() {
        assertThat(check(WITHOUT_AMOUNT, CompatibilityLevel.BACKWARD, V1)).isEmpty();
        assertThat(check(WITHOUT_AMOUNT, CompatibilityLevel.FORWARD, V1)).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("data written with the new schema cannot be read with version 1"));
    }

    @Test
    void transitiveLevelsCheckEveryVersionTheOthersOnlyTheLatest() {
        // amount:int reads version 2 (no amount: the default applies) but not version 1 (amount is a string there)
        assertThat(check(AMOUNT_AS_INT, CompatibilityLevel.BACKWARD, V1, WITHOUT_AMOUNT)).isEmpty();
        assertThat(check(AMOUNT_AS_INT, CompatibilityLevel.BACKWARD_TRANSITIVE, V1, WITHOUT_AMOUNT)).singleElement()
                .satisfies(p -> {
                    assertThat(p.version()).isEqualTo(1);
                    assertThat(p.type()).isEqualTo("TYPE_MISMATCH");
                    assertThat(p.location()).isEqualTo("/fields/0/type");
                    assertThat(p.field()).isEqualTo("amount");
                });
        assertThat(check(AMOUNT_AS_INT, CompatibilityLevel.FULL_TRANSITIVE, V1, WITHOUT_AMOUNT)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void forwardTransitiveAlsoAsksTheOlderVersionsToReadTheNewData() {
        // version 2 gave amount a default, so it can read data without one; version 1 (no default) cannot
        Schema amountWithDefault = record("{\"name\":\"amount\",\"type\":\"string\",\"default\":\"0\"}");
        assertThat(check(WITHOUT_AMOUNT, CompatibilityLevel.FORWARD, V1, amountWithDefault)).isEmpty();
        assertThat(check(WITHOUT_AMOUNT, CompatibilityLevel.FORWARD_TRANSITIVE, V1, amountWithDefault)).singleElement()
                .satisfies(p -> {
                    assertThat(p.version()).isEqualTo(1);
                    assertThat(p.type()).isEqualTo("READER_FIELD_MISSING_DEFAULT_VALUE");
                    assertThat(p.field()).isEqualTo("amount");
                });
    }

    @Test
    void problemsInsideNestedRecordsAndUnionsNameTheFieldPath() {
        Schema reader = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Outer\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"card\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Card\",\"fields\":["
                + "{\"name\":\"pan\",\"type\":\"string\"},{\"name\":\"expiry\",\"type\":\"int\"}]}]}]}");
        assertThat(CompatibilityChecker.fieldPath(reader, "/fields/1/type/1/fields/1/type")).isEqualTo("card.expiry");
        assertThat(CompatibilityChecker.fieldPath(reader, "/")).isEmpty();
    }

    @Test
    void theFirstVersionOfASubjectIsAlwaysAccepted() {
        assertThat(check(WITH_REQUIRED, CompatibilityLevel.FULL_TRANSITIVE)).isEmpty();
    }
}
