package io.tideline.schema.registry;

/**
 * A refusal with Confluent Schema Registry's HTTP status and error code, which its clients (serializers, CLI tools)
 * interpret: e.g. 404/40401 subject not found, 409 incompatible schema, 422/42201 invalid schema.
 */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, Object version) {
        return new RegistryException(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryException schemaNotFound(String detail) {
        return new RegistryException(404, 40403, "Schema not found: " + detail);
    }

    static RegistryException subjectNotSoftDeleted(String subject) {
        return new RegistryException(404, 40405, "Subject '" + subject
                + "' was not deleted first before being permanently deleted");
    }

    static RegistryException versionNotSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted");
    }

    static RegistryException subjectLevelNotConfigured(String subject) {
        return new RegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String subject, Object details) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + details);
    }

    static RegistryException invalidSchema(String reason) {
        return new RegistryException(422, 42201, "Invalid schema: " + reason);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, "
                + "backward_transitive, forward_transitive, and full_transitive; got " + level);
    }
}
