package io.mailbus.outcome;

import java.util.Locale;

import io.mailbus.smtppool.SmtpDeliveryException;

/**
 * Why a transient failure happened, which decides how long to wait: a connection that broke or a server
 * that closed it (421) is worth a quick retry; rate limiting and greylisting (4.7.x) want minutes; other 4xx
 * replies take the ordinary schedule.
 */
public enum RetryClass {
    CONNECTION, THROTTLED, TRANSIENT;

    static RetryClass of(SmtpDeliveryException e) {
        return of(e.getReplyCode(), e.getEnhancedCode(), e.getServerText());
    }

    static RetryClass of(int code, String enhancedCode, String text) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if ((enhancedCode != null && enhancedCode.startsWith("4.7."))
                || lower.contains("greylist") || lower.contains("graylist") || lower.contains("rate limit")
                || lower.contains("too many messages") || lower.contains("throttl")) {
            return THROTTLED;
        }
        if (code == 0 || code == 421) {
            return CONNECTION;
        }
        return TRANSIENT;
    }
}
