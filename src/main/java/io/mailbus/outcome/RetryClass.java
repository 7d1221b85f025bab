package io.mailbus.outcome;

import java.util.Locale;

/**
 * Why a delivery is worth trying again, which decides how long to wait: a connection that could not be made or was
 * closed (421, refused, reset, timeouts, 454) is worth quick retries; rate limiting and greylisting (4.7.x) want
 * minutes; other 4xx replies take the ordinary schedule. Each class counts its own retries.
 */
public enum RetryClass {
    CONNECTION, THROTTLED, TRANSIENT;

    /** The name used in settings ({@code mailbus.retry.<name>}), headers and events. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RetryClass ofKey(String key) {
        for (RetryClass c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        return null;
    }
}
