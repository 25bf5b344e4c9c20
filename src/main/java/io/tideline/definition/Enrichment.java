package io.tideline.definition;

/**
 * Reference data joined onto events: the compacted topic holding it (record key = the reference's id, value = a
 * JSON object), and the event field whose value is that id. Rules read its fields as {@code <name>.<field>}.
 */
public record Enrichment(String name, String topic, String joinOn) {
}
