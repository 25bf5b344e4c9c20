package io.tideline.ingest;

import java.util.Locale;

/** The content types of the CloudEvents bindings Tideline speaks. */
public final class MediaTypes {

    public static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
    public static final String CLOUDEVENTS_BATCH_JSON = "application/cloudevents-batch+json";
    public static final String JSON = "application/json";
    /** Binary-mode data that is the Avro binary encoding of the type's schema (Tideline's own producers). */
    public static final String AVRO = "application/avro";

    private MediaTypes() {
    }

    /** The media type without parameters (charset etc.), lower-cased; null stays null. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isJson(String contentType) {
        String essence = essence(contentType);
        return JSON.equals(essence) || (essence != null && essence.endsWith("+json"));
    }
}
