package io.tideline.schema.registry;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Confluent Schema Registry's REST API (the part its serializers and tools use), with its paths, bodies, error
 * codes and content type ({@value #CONTENT_TYPE}; plain JSON is accepted too). docs/schemas.md is the reference.
 */
@RestController
@RequestMapping(produces = {SchemaRegistryController.CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json"})
public class SchemaRegistryController {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** A schema as clients send it; {@code references} are not supported yet and are refused if present. */
    public record SchemaRequest(String schema, String schemaType, List<Object> references) {
    }

    /** {@code PUT /config}: {@code compatibility} is Confluent's name; {@code compatibilityLevel} is accepted too. */
    public record ConfigRequest(String compatibility, String compatibilityLevel) {
        String level() {
            return compatibility != null ? compatibility : compatibilityLevel;
        }
    }

    private final SchemaRegistry registry;

    public SchemaRegistryController(SchemaRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/schemas/types")
    public List<String> types() {
        return List.of(SchemaRegistry.AVRO);
    }

    @GetMapping("/schemas/ids/{id}")
    public Map<String, Object> schemaById(@PathVariable int id) {
        return Map.of("schema", registry.schema(id));
    }

    @GetMapping("/schemas/ids/{id}/versions")
    public List<Map<String, Object>> usesOf(@PathVariable int id) {
        return registry.usesOf(id);
    }

    @GetMapping("/subjects")
    public List<String> subjects(@RequestParam(defaultValue = "false") boolean deleted) {
        return registry.subjects(deleted);
    }

    @GetMapping("/subjects/{subject}/versions")
    public List<Integer> versions(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean deleted) {
        List<Integer> versions = registry.versions(subject, deleted);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    @GetMapping("/subjects/{subject}/versions/{version}")
    public SchemaRegistry.SchemaVersion version(@PathVariable String subject, @PathVariable String version,
                                               @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.version(subject, version, deleted);
    }

    @GetMapping(value = "/subjects/{subject}/versions/{version}/schema")
    public String rawSchema(@PathVariable String subject, @PathVariable String version) {
        return registry.version(subject, version, false).schema();
    }

    @PostMapping("/subjects/{subject}/versions")
    public Map<String, Object> register(@PathVariable String subject, @RequestBody SchemaRequest request) {
        return Map.of("id", registry.register(subject, supported(request).schema(), request.schemaType()));
    }

    @PostMapping("/subjects/{subject}")
    public SchemaRegistry.SchemaVersion lookup(@PathVariable String subject, @RequestBody SchemaRequest request,
                                              @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.lookup(subject, supported(request).schema(), request.schemaType(), deleted);
    }

    @DeleteMapping("/subjects/{subject}")
    public List<Integer> deleteSubject(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean permanent) {
        return registry.deleteSubject(subject, permanent);
    }

    @DeleteMapping("/subjects/{subject}/versions/{version}")
    public int deleteVersion(@PathVariable String subject, @PathVariable String version,
                             @RequestParam(defaultValue = "false") boolean permanent) {
        return registry.deleteVersion(subject, version, permanent);
    }

    @PostMapping("/compatibility/subjects/{subject}/versions/{version}")
    public Map<String, Object> test(@PathVariable String subject, @PathVariable String version, @RequestBody SchemaRequest request,
                                    @RequestParam(defaultValue = "false") boolean verbose) {
        SchemaRegistry.CompatibilityTest result = registry.test(subject, version, supported(request).schema(), request.schemaType());
        return verbose ? Map.of("is_compatible", result.compatible(), "messages", result.messages())
                : Map.of("is_compatible", result.compatible());
    }

    @GetMapping("/config")
    public Map<String, Object> globalConfig() {
        return Map.of("compatibilityLevel", registry.globalLevel().name());
    }

    @PutMapping("/config")
    public Map<String, Object> setGlobalConfig(@RequestBody ConfigRequest request) {
        return Map.of("compatibility", registry.setLevel("", request.level()).name());
    }

    @GetMapping("/config/{subject}")
    public Map<String, Object> subjectConfig(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
        return Map.of("compatibilityLevel", registry.subjectLevel(subject, defaultToGlobal).name());
    }

    @PutMapping("/config/{subject}")
    public Map<String, Object> setSubjectConfig(@PathVariable String subject, @RequestBody ConfigRequest request) {
        return Map.of("compatibility", registry.setLevel(subject, request.level()).name());
    }

    @DeleteMapping("/config/{subject}")
    public Map<String, Object> deleteSubjectConfig(@PathVariable String subject) {
        return Map.of("compatibilityLevel", registry.deleteLevel(subject).name());
    }

    @ExceptionHandler(RegistryException.class)
    public ResponseEntity<Map<String, Object>> refused(RegistryException e) {
        return ResponseEntity.status(e.status()).header("Content-Type", CONTENT_TYPE)
                .body(Map.of("error_code", e.errorCode(), "message", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return refused(new RegistryException(400, 400, "The request body is not the JSON this endpoint takes: "
                + e.getMostSpecificCause().getMessage()));
    }

    private static SchemaRequest supported(SchemaRequest request) {
        if (request.references() != null && !request.references().isEmpty()) {
            throw RegistryException.invalidSchema("schema references are not supported");
        }
        return request;
    }
}
