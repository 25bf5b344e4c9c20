package io.tideline.schema;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes named in schemas unless they are trusted (a defence against
 * schema-driven gadget attacks). Tideline trusts exactly its own generated model packages, nothing wider.
 */
public final class TrustedModelClasses {

    private static final String MODEL_PACKAGE = "io.tideline.model.";

    static {
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith(MODEL_PACKAGE)));
    }

    private TrustedModelClasses() {
    }

    /** Runs the static initialiser once; every schema entry point calls this before touching SpecificData. */
    public static void ensure() {
    }
}
