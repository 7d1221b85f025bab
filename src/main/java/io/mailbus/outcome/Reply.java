package io.mailbus.outcome;

import io.mailbus.smtppool.RecipientFailure;
import io.mailbus.smtppool.SmtpDeliveryException;

/**
 * The reply that decided an outcome, as the queues and events report it.
 *
 * @param code              the SMTP reply code, 0 when no server answered
 * @param enhancedCode      the RFC 3463 code, or null
 * @param text              the server's reply, or the failure's text
 * @param command           the SMTP step, or null when the failure was not SMTP's
 * @param possiblyDelivered the message was sent whole and the answer lost: the server may have taken it
 */
record Reply(int code, String enhancedCode, String text, String command, boolean possiblyDelivered) {

    static Reply of(SmtpDeliveryException e) {
        return new Reply(e.getReplyCode(), e.getEnhancedCode(), e.getServerText() != null ? e.getServerText()
                : e.getMessage(), e.getCommand(), e.isPossiblyDelivered());
    }

    static Reply of(RecipientFailure f) {
        return new Reply(f.code(), f.enhancedCode(), f.text(), "RCPT TO", false);
    }

    static Reply of(Throwable error) {
        return new Reply(0, null, String.valueOf(error), null, false);
    }
}
