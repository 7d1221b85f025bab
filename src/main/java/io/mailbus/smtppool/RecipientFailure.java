package io.mailbus.smtppool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One recipient the server refused at RCPT TO, kept exactly as the server answered so a route can tell a mailbox
 * that does not exist (5.1.1) from one that is full (4.2.2 / 5.2.2).
 *
 * @param address      the addr-spec as sent in RCPT TO
 * @param code         the reply code, e.g. 550
 * @param enhancedCode the RFC 3463 status code, e.g. "5.1.1", or null when the server gave none
 * @param text         the server's reply as received
 */
@JsonIgnoreProperties(value = "transient", allowGetters = true)
public record RecipientFailure(String address, int code, String enhancedCode, String text) {

    /**
     * Whether the refusal is for now (4xx: deferred, retry this recipient later) rather than for good (5xx); written
     * to JSON as {@code "transient"}.
     */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }
}
