package io.tideline.store;

/** Redis no longer holds the read model the sink was maintaining; the sink rebuilds it by replaying the log. */
public class ReadModelLostException extends RuntimeException {

    public ReadModelLostException(String message) {
        super(message);
    }
}
