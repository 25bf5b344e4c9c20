package io.tideline.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The event families Tideline knows: the CloudEvents {@code type} that names each, its payload schema, the
 * payload field that is its natural partition key, and the number its windows aggregate (if any).
 */
public enum EventFamily {

    PAYMENT("payment", Payment.getClassSchema(), "account", true, p -> ((Payment) p).getAmount()),
    ACCOUNT_ACTIVITY("account-activity", AccountActivity.getClassSchema(), "account", false, null),
    ORDER_STATUS("order-status", OrderStatusChanged.getClassSchema(), "orderId", false, null),
    METRIC_SAMPLE("metric-sample", MetricSample.getClassSchema(), "name", false,
            p -> BigDecimal.valueOf(((MetricSample) p).getValue()));

    private static final Map<String, EventFamily> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventFamily::type, Function.identity()));
    private static final Map<Schema, EventFamily> BY_SCHEMA = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventFamily::schema, Function.identity()));

    private final String type;
    private final Schema schema;
    private final String keyField;
    private final boolean financial;
    private final Function<SpecificRecord, BigDecimal> measure;

    EventFamily(String type, Schema schema, String keyField, boolean financial,
                Function<SpecificRecord, BigDecimal> measure) {
        this.type = type;
        this.schema = schema;
        this.keyField = keyField;
        this.financial = financial;
        this.measure = measure;
    }

    public static Optional<EventFamily> forType(String type) {
        return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
    }

    public static EventFamily of(SpecificRecord payload) {
        EventFamily family = BY_SCHEMA.get(payload.getSchema());
        if (family == null) {
            throw new IllegalArgumentException("not an event payload: " + payload.getSchema().getFullName());
        }
        return family;
    }

    public static String knownTypes() {
        return Arrays.stream(values()).map(EventFamily::type).collect(Collectors.joining(", "));
    }

    /** The CloudEvents {@code type} attribute value. */
    public String type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** The partition key of an event that names none: the payload's natural key. */
    public String naturalKey(SpecificRecord payload) {
        return String.valueOf(payload.get(schema.getField(keyField).pos()));
    }

    /** Financial families carry money; the exactly-once guarantee matters most for them. */
    public boolean financial() {
        return financial;
    }

    /** Whether windows over this family have sum/min/max/mean, or only a count. */
    public boolean hasMeasure() {
        return measure != null;
    }

    /** The number the family's windows aggregate, or null when it has none. */
    public BigDecimal measure(SpecificRecord payload) {
        return measure == null ? null : measure.apply(payload);
    }
}
