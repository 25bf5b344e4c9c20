package io.tideline.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void theHeaderIsAZeroMagicByteAndABigEndianSchemaId() {
        ByteBuffer framed = ByteBuffer.allocate(WireFormat.HEADER + 1);
        WireFormat.writeHeader(framed, 258);
        byte[] bytes = framed.array();
        assertThat(bytes).startsWith(0, 0, 0, 1, 2);
        assertThat(WireFormat.isFramed(bytes)).isTrue();
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(258);
    }

    @Test
    void jsonAndShortInputAreNotFramed() {
        byte[] json = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(WireFormat.isFramed(json)).isFalse();
        assertThat(WireFormat.isFramed(new byte[] {0, 0, 1})).isFalse();
        assertThatThrownBy(() -> WireFormat.schemaId(json)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("expected magic byte 0");
    }

    @Test
    void subjectsFollowConfluentsNamingStrategies() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"io.x\",\"fields\":[]}");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("payments", false, schema)).isEqualTo("payments-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("payments", true, schema)).isEqualTo("payments-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subject("payments", false, schema)).isEqualTo("io.x.Payment");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("payments", false, schema)).isEqualTo("payments-io.x.Payment");
    }
}
