package io.tideline.ingest;

import java.util.List;

/** CloudEvents 1.0 attribute names Tideline reads (the partitioning extension included). */
public final class CloudEventAttributes {

    public static final String SPECVERSION = "specversion";
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String TYPE = "type";
    public static final String SUBJECT = "subject";
    public static final String TIME = "time";
    public static final String DATACONTENTTYPE = "datacontenttype";
    public static final String DATASCHEMA = "dataschema";
    public static final String PARTITIONKEY = "partitionkey";

    /** In the order a binding writes them. */
    public static final List<String> ALL = List.of(SPECVERSION, ID, SOURCE, TYPE, SUBJECT, TIME,
            DATACONTENTTYPE, DATASCHEMA, PARTITIONKEY);

    public static final String SPEC_VERSION_1_0 = "1.0";

    private CloudEventAttributes() {
    }
}
