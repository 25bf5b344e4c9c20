package io.tideline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tideline.ingest.IngestConfiguration;
import io.tideline.model.AccountActivity;
import io.tideline.model.MetricSample;
import io.tideline.model.OrderStatus;
import io.tideline.model.OrderStatusChanged;
import io.tideline.model.Payment;
import io.tideline.model.PaymentChannel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class JsonPayloadDecoderTest {

    private final ObjectMapper json = IngestConfiguration.eventJson();
    private final JsonPayloadDecoder decoder = new JsonPayloadDecoder();

    private JsonNode parse(String text) {
        return json.readTree(text.replace('\'', '"'));
    }

    private List<FieldViolation> violations(String data, org.apache.avro.Schema schema) {
        try {
            decoder.decode(parse(data), schema);
        } catch (SchemaViolationException e) {
            return e.violations();
        }
        throw new AssertionError("expected violations for " + data);
    }

    @Test
    void decodesAValidPaymentExactly() {
        Payment p = (Payment) decoder.decode(parse("{'paymentId':'p1','account':'a','merchant':'m','amount':0.1,"
                + "'currency':'EUR','country':'DE','channel':'MOBILE'}"), Payment.getClassSchema());
        assertThat(p.getAmount()).isEqualTo(new BigDecimal("0.1000"));
        assertThat(p.getChannel()).isEqualTo(PaymentChannel.MOBILE);
    }

    @Test
    void acceptsDecimalAsString() {
        Payment p = (Payment) decoder.decode(parse("{'paymentId':'p1','account':'a','merchant':'m','amount':'12.34',"
                + "'currency':'EUR','country':'DE','channel':'ONLINE'}"), Payment.getClassSchema());
        assertThat(p.getAmount()).isEqualByComparingTo("12.34");
    }

    @Test
    void reportsEveryViolationWithItsPath() {
        List<FieldViolation> v = violations("{'paymentId':5,'account':'a','amount':'x','currency':'EUR','country':'DE',"
                + "'channel':'CARRIER_PIGEON','colour':'red'}", Payment.getClassSchema());
        assertThat(v).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "data.paymentId", "data.merchant", "data.amount", "data.channel", "data.colour");
        assertThat(v).filteredOn(f -> f.field().equals("data.merchant")).first().extracting(FieldViolation::reason).isEqualTo("is required");
        assertThat(v).filteredOn(f -> f.field().equals("data.channel")).first().extracting(FieldViolation::reason)
                .asString().contains("CARD_PRESENT").contains("CARRIER_PIGEON");
        assertThat(v).filteredOn(f -> f.field().equals("data.colour")).first().extracting(FieldViolation::reason)
                .asString().startsWith("is not a field of Payment");
    }

    @Test
    void rejectsAmountsWithMoreDecimalPlacesThanTheSchemaAllows() {
        List<FieldViolation> v = violations("{'paymentId':'p','account':'a','merchant':'m','amount':1.23456,"
                + "'currency':'EUR','country':'DE','channel':'ONLINE'}", Payment.getClassSchema());
        assertThat(v).containsExactly(new FieldViolation("data.amount", "has more than 4 decimal places"));
    }

    @Test
    void nullableFieldsMayBeOmittedOrNullButRequiredOnesMayNotBeNull() {
        AccountActivity a = (AccountActivity) decoder.decode(parse("{'account':'a','action':'LOGIN','ip':'1.2.3.4','country':'DE'}"),
                AccountActivity.getClassSchema());
        assertThat(a.getUserAgent()).isNull();
        assertThat(violations("{'account':null,'action':'LOGIN','ip':'1','country':'DE'}", AccountActivity.getClassSchema()))
                .extracting(FieldViolation::field, FieldViolation::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data.account", "expected a string, got null null"));
    }

    @Test
    void nullableEnumUnionAndMapDefaults() {
        OrderStatusChanged o = (OrderStatusChanged) decoder.decode(parse("{'orderId':'o1','customer':'c','status':'PAID','previousStatus':'CREATED'}"),
                OrderStatusChanged.getClassSchema());
        assertThat(o.getPreviousStatus()).isEqualTo(OrderStatus.CREATED);
        MetricSample m = (MetricSample) decoder.decode(parse("{'name':'cpu','value':3}"), MetricSample.getClassSchema());
        assertThat(m.getValue()).isEqualTo(3.0);
        assertThat(m.getTags()).isEmpty();
    }

    @Test
    void mapValuesAreCheckedAndNonObjectsRejected() {
        assertThat(violations("{'name':'cpu','value':1,'tags':{'host':7}}", MetricSample.getClassSchema()))
                .extracting(FieldViolation::field).containsExactly("data.tags.host");
        assertThatThrownBy(() -> decoder.decode(parse("[1,2]"), MetricSample.getClassSchema()))
                .isInstanceOf(SchemaViolationException.class).hasMessageContaining("expected an object (MetricSample)");
    }

    @Test
    void encoderWritesBackTheSameJson() {
        String text = "{'paymentId':'p1','account':'a','merchant':'m','amount':12.5,'currency':'EUR','country':'DE','channel':'ONLINE'}";
        Payment p = (Payment) decoder.decode(parse(text), Payment.getClassSchema());
        assertThat(new AvroJsonEncoder().encode(p)).isEqualTo(parse(text));
    }
}
