package io.mailbus.smtppool;

import java.util.List;

/**
 * Every way a send can fail, as data: the SMTP reply a real server gave (code, RFC 3463 enhanced code, text), the
 * command it answered and the per-recipient results. It is a checked exception because it is never thrown through
 * Camel: the producer sets it on the exchange, and routes match it by subclass in {@code onException}.
 * <p>
 * {@link #isTransient()} is true for 4xx replies and for faults without a reply (timeouts, refused or reset
 * connections, an exhausted pool): trying again later can succeed. {@link #isPermanent()} is its negation.
 * {@link SmtpConfigurationException} (and its {@link SmtpAuthenticationException} and {@link SmtpTlsException}) says
 * the server refuses our setup rather than the message. {@link #isPossiblyDelivered()} says the whole message had
 * been written, end-of-data dot included, when the connection failed, so the server may have queued it.
 */
public abstract class SmtpDeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int replyCode;
    private final String enhancedCode;
    private final String serverText;
    private final String command;
    private final transient List<RecipientFailure> recipientFailures;
    private final boolean possiblyDelivered;

    protected SmtpDeliveryException(String message, SmtpReply reply, List<RecipientFailure> recipientFailures,
                                    Throwable cause) {
        this(message, reply, recipientFailures, cause, false);
    }

    protected SmtpDeliveryException(String message, SmtpReply reply, List<RecipientFailure> recipientFailures,
                                    Throwable cause, boolean possiblyDelivered) {
        super(message, cause);
        this.possiblyDelivered = possiblyDelivered;
        this.replyCode = reply.code();
        this.enhancedCode = reply.enhancedCode();
        this.serverText = reply.text();
        this.command = reply.command();
        this.recipientFailures = recipientFailures == null ? List.of() : List.copyOf(recipientFailures);
    }

    /** The reply code, or 0 when the server gave none (network fault, timeout, exhausted pool). */
    public int getReplyCode() {
        return replyCode;
    }

    /** The RFC 3463 status code such as "4.7.1", or null when the server gave none. */
    public String getEnhancedCode() {
        return enhancedCode;
    }

    /** The server's reply text as received, or null without a reply. */
    public String getServerText() {
        return serverText;
    }

    /** The SMTP step that failed: CONNECT, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO or DATA. */
    public String getCommand() {
        return command;
    }

    /** The recipients the server refused, each with its own reply; empty when the failure was not per recipient. */
    public List<RecipientFailure> getRecipientFailures() {
        return recipientFailures == null ? List.of() : recipientFailures;
    }

    public abstract boolean isTransient();

    /**
     * True when the connection failed (timeout, reset, EOF) after the end-of-data dot was written and before the
     * server answered it: the server may have queued the message, so a retry may deliver it twice. Such a failure
     * is transient; say "an earlier attempt may have been delivered" when retrying or reporting it. False otherwise.
     */
    public boolean isPossiblyDelivered() {
        return possiblyDelivered;
    }

    public boolean isPermanent() {
        return !isTransient();
    }

    @Override
    public String getMessage() {
        String base = super.getMessage();
        if (replyCode == 0) {
            return command == null ? base : base + " [" + command + "]";
        }
        if (serverText == null) {
            return base + " [" + command + ": " + replyCode + (enhancedCode == null ? "" : " " + enhancedCode) + "]";
        }
        return base + " [" + command + ": " + serverText + "]";
    }
}
