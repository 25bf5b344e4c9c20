package io.tideline.schema.registry;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry's rules over its PostgreSQL tables (V3__schema_registry.sql), with Confluent Schema Registry's
 * semantics: a schema has one global id whatever subjects hold it; registering a schema a subject already holds
 * returns its id without a new version; a new version must be compatible under the subject's level; deletion is
 * soft (hidden, numbers never reused) before it may be permanent.
 * <p>PostgreSQL rather than a compacted Kafka topic: every instance can accept registrations, serialized per
 * subject by a transaction-scoped advisory lock, with ids from a sequence, so there is no leader to elect; and
 * the pipeline already depends on PostgreSQL for its history. docs/schemas.md gives the trade-off.
 */
public final class SchemaRegistry {

    public static final String AVRO = "AVRO";

    /** A subject's version as the API shows it. */
    public record SchemaVersion(String subject, int version, int id, String schema) {
    }

    /** The answer of a compatibility test. */
    public record CompatibilityTest(boolean compatible, List<String> messages) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CompatibilityChecker checker = new CompatibilityChecker();

    public SchemaRegistry(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** @return the schema's global id; the subject gets a new version unless it already holds this schema */
    public int register(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        return tx.execute(status -> {
            lock(subject);
            Optional<SchemaVersion> existing = find(subject, schema, false);
            if (existing.isPresent()) {
                return existing.get().id();
            }
            List<String> problems = problems(schema, live(subject), level(subject));
            if (!problems.isEmpty()) {
                throw RegistryException.incompatible(subject, problems);
            }
            int id = schemaId(schema);
            Integer last = jdbc.queryForObject("select max(version) from registry_versions where subject = ?", Integer.class, subject);
            jdbc.update("insert into registry_versions (subject, version, schema_id) values (?, ?, ?)",
                    subject, last == null ? 1 : last + 1, id);
            return id;
        });
    }

    /** The version of {@code subject} holding this schema ({@code POST /subjects/{subject}}). */
    public SchemaVersion lookup(String subject, String schemaText, String schemaType, boolean deleted) {
        Schema schema = parse(schemaText, schemaType);
        if (versions(subject, deleted).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return find(subject, schema, deleted).orElseThrow(() -> RegistryException.schemaNotFound("not registered under '" + subject + "'"));
    }

    public List<String> subjects(boolean deleted) {
        return jdbc.queryForList("select distinct subject from registry_versions where ? or not deleted order by subject",
                String.class, deleted);
    }

    public List<Integer> versions(String subject, boolean deleted) {
        return jdbc.queryForList("select version from registry_versions where subject = ? and (? or not deleted) order by version",
                Integer.class, subject, deleted);
    }

    /** @param version a version number, or {@code latest} (also {@code -1}) for the newest live one */
    public SchemaVersion version(String subject, String version, boolean deleted) {
        int number = parseVersion(version);
        if (versions(subject, true).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        List<SchemaVersion> found = number == -1
                ? jdbc.query(SELECT_VERSION + " where v.subject = ? and not v.deleted order by v.version desc limit 1",
                        (rs, i) -> row(rs), subject)
                : jdbc.query(SELECT_VERSION + " where v.subject = ? and v.version = ? and (? or not v.deleted)",
                        (rs, i) -> row(rs), subject, number, deleted);
        return found.stream().findFirst().orElseThrow(() -> RegistryException.versionNotFound(subject, version));
    }

    public String schema(int id) {
        return jdbc.query("select schema_text from registry_schemas where id = ?", (rs, i) -> rs.getString(1), id)
                .stream().findFirst().orElseThrow(() -> RegistryException.schemaNotFound("id " + id));
    }

    /** The subjects and versions that hold schema {@code id}. */
    public List<Map<String, Object>> usesOf(int id) {
        schema(id);
        return jdbc.queryForList("select subject, version from registry_versions where schema_id = ? and not deleted "
                + "order by subject, version", id);
    }

    /** @return the versions deleted */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return tx.execute(status -> {
            lock(subject);
            List<Integer> all = versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            List<Integer> live = versions(subject, false);
            if (permanent) {
                if (!live.isEmpty()) {
                    throw RegistryException.subjectNotSoftDeleted(subject);
                }
                jdbc.update("delete from registry_versions where subject = ?", subject);
                jdbc.update("delete from registry_config where subject = ?", subject);
                return all;
            }
            if (live.isEmpty()) {
                throw new RegistryException(404, 40404, "Subject '" + subject + "' was soft deleted."
                        + " Set permanent=true to delete permanently");
            }
            jdbc.update("update registry_versions set deleted = true where subject = ?", subject);
            return live;
        });
    }

    public int deleteVersion(String subject, String version, boolean permanent) {
        return tx.execute(status -> {
            lock(subject);
            SchemaVersion target = version(subject, version, permanent);
            boolean deleted = Boolean.TRUE.equals(jdbc.queryForObject(
                    "select deleted from registry_versions where subject = ? and version = ?", Boolean.class, subject, target.version()));
            if (permanent) {
                if (!deleted) {
                    throw RegistryException.versionNotSoftDeleted(subject, target.version());
                }
                jdbc.update("delete from registry_versions where subject = ? and version = ?", subject, target.version());
            } else {
                jdbc.update("update registry_versions set deleted = true where subject = ? and version = ?", subject, target.version());
            }
            return target.version();
        });
    }

    /**
     * Whether {@code schemaText} could be registered next to {@code version} of the subject: against that version
     * only, or, for {@code latest}, against every version the subject's level looks at.
     */
    public CompatibilityTest test(String subject, String version, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        CompatibilityLevel level = level(subject);
        List<CompatibilityChecker.RegisteredSchema> against;
        if (parseVersion(version) == -1) {
            against = live(subject);
        } else {
            SchemaVersion v = version(subject, version, false);
            against = List.of(new CompatibilityChecker.RegisteredSchema(v.version(), new Schema.Parser().parse(v.schema())));
        }
        List<String> problems = problems(schema, against, level);
        return new CompatibilityTest(problems.isEmpty(), problems);
    }

    public CompatibilityLevel globalLevel() {
        return CompatibilityLevel.valueOf(jdbc.queryForObject("select compatibility from registry_config where subject = ''", String.class));
    }

    /** @param defaultToGlobal answer the global level when the subject has none of its own */
    public CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = ownLevel(subject);
        if (own.isEmpty() && !defaultToGlobal) {
            throw RegistryException.subjectLevelNotConfigured(subject);
        }
        return own.orElseGet(this::globalLevel);
    }

    /** @param subject the subject, or {@code ""} for the global default */
    public CompatibilityLevel setLevel(String subject, String level) {
        CompatibilityLevel parsed = parseLevel(level);
        jdbc.update("insert into registry_config (subject, compatibility) values (?, ?) "
                + "on conflict (subject) do update set compatibility = excluded.compatibility", subject, parsed.name());
        return parsed;
    }

    /** @return the level the subject had */
    public CompatibilityLevel deleteLevel(String subject) {
        CompatibilityLevel previous = subjectLevel(subject, false);
        jdbc.update("delete from registry_config where subject = ?", subject);
        return previous;
    }

    private CompatibilityLevel level(String subject) {
        return ownLevel(subject).orElseGet(this::globalLevel);
    }

    private Optional<CompatibilityLevel> ownLevel(String subject) {
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.queryForList("select compatibility from registry_config where subject = ?", String.class, subject)
                .stream().findFirst().map(CompatibilityLevel::valueOf);
    }

    private List<String> problems(Schema schema, List<CompatibilityChecker.RegisteredSchema> against,
                                  CompatibilityLevel level) {
        return checker.check(schema, against, level).stream().map(Object::toString).toList();
    }

    private List<CompatibilityChecker.RegisteredSchema> live(String subject) {
        return jdbc.query("select v.version, s.schema_text from registry_versions v join registry_schemas s on s.id = v.schema_id "
                        + "where v.subject = ? and not v.deleted order by v.version",
                (rs, i) -> new CompatibilityChecker.RegisteredSchema(rs.getInt(1), new Schema.Parser().parse(rs.getString(2))), subject);
    }

    private Optional<SchemaVersion> find(String subject, Schema schema, boolean deleted) {
        return jdbc.query(SELECT_VERSION + " where v.subject = ? and s.fingerprint = ? and (? or not v.deleted) "
                + "order by v.version desc limit 1", (rs, i) -> row(rs), subject, fingerprint(schema), deleted).stream().findFirst();
    }

    private int schemaId(Schema schema) {
        byte[] fingerprint = fingerprint(schema);
        jdbc.update("insert into registry_schemas (schema_type, schema_text, fingerprint) values (?, ?, ?) "
                + "on conflict (fingerprint) do nothing", AVRO, schema.toString(), fingerprint);
        return jdbc.queryForObject("select id from registry_schemas where fingerprint = ?", Integer.class, fingerprint);
    }

    /** Registrations of one subject take turns, across every instance sharing the database. */
    private void lock(String subject) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", subject);
    }

    private static final String SELECT_VERSION = "select v.subject, v.version, v.schema_id, s.schema_text "
            + "from registry_versions v join registry_schemas s on s.id = v.schema_id";

    private static SchemaVersion row(ResultSet rs) throws SQLException {
        return new SchemaVersion(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4));
    }

    static Schema parse(String text, String schemaType) {
        if (schemaType != null && !schemaType.equalsIgnoreCase(AVRO)) {
            throw RegistryException.invalidSchema("schema type " + schemaType + " is not supported (AVRO is)");
        }
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("the request has no schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException | NullPointerException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        }
    }

    static int parseVersion(String version) {
        if ("latest".equals(version) || "-1".equals(version)) {
            return -1;
        }
        try {
            int n = Integer.parseInt(version);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryException.invalidVersion(version);
    }

    static CompatibilityLevel parseLevel(String level) {
        try {
            return CompatibilityLevel.valueOf(level == null ? "" : level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibilityLevel(level);
        }
    }

    private static byte[] fingerprint(Schema schema) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(schema.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
