package io.mailbus.outcome;

import java.util.Locale;
import java.util.Set;

import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.smtppool.SmtpConfigurationException;
import io.mailbus.smtppool.SmtpDeliveryException;
import io.mailbus.smtppool.SmtpInvalidMessageException;

/**
 * The one place that decides what a failure means for a request. It walks the whole cause chain, because Camel hands
 * the route the exception as thrown and a wrapper's type says nothing: an {@link SmtpDeliveryException} anywhere in
 * the chain decides, then an {@link InvalidSendRequestException}; anything else is internal. The routes do not match
 * exception types at all ({@code onException} picks the deepest cause first, which is how a 421 greeting carrying
 * Angus's {@code MessagingException} once fell into the catch-all and was dead-lettered).
 *
 * <table>
 * <caption>SMTP replies</caption>
 * <tr><th>reply</th><th>at</th><th>verdict</th></tr>
 * <tr><td>421, 454, refused, reset, timeout</td><td>any</td><td>retry, connection</td></tr>
 * <tr><td>530, 535, 503 at AUTH, TLS trust, 5xx greeting</td><td>connect, MAIL, AUTH, TLS</td><td>configuration</td></tr>
 * <tr><td>4.7.x, greylisting, rate limits</td><td>MAIL, RCPT, DATA</td><td>retry, throttled</td></tr>
 * <tr><td>other 4xx</td><td>MAIL, RCPT, DATA</td><td>retry, transient</td></tr>
 * <tr><td>other 5xx</td><td>MAIL, RCPT, DATA</td><td>rejected</td></tr>
 * </table>
 * Recipients refused one by one are split by {@link #retryClassOf} per recipient: the 5xx ones are rejected and the
 * 4xx ones retried alone (see {@code Outcomes}).
 */
public final class FailureClassifier {

    private static final Set<String> CONNECTION_STEPS = Set.of("CONNECT", "EHLO", "STARTTLS", "AUTH");
    private static final int MAX_CAUSES = 64;

    private FailureClassifier() {
    }

    public static Verdict classify(Throwable error) {
        if (find(error, ServerDeferredException.class) != null) {
            return new Verdict(Verdict.Kind.DEFERRED, null, null, error);
        }
        SmtpDeliveryException smtp = find(error, SmtpDeliveryException.class);
        if (smtp != null) {
            return classify(smtp, error);
        }
        if (find(error, InvalidSendRequestException.class) != null) {
            return new Verdict(Verdict.Kind.INVALID, null, null, error);
        }
        return new Verdict(Verdict.Kind.INTERNAL, null, null, error);
    }

    private static Verdict classify(SmtpDeliveryException e, Throwable error) {
        if (isConfiguration(e)) {
            return new Verdict(Verdict.Kind.CONFIGURATION, null, e, error);
        }
        if (e instanceof SmtpInvalidMessageException) {
            // our own envelope or body was unusable: a bug here, not the recipient's or the server's doing
            return new Verdict(Verdict.Kind.INTERNAL, null, e, error);
        }
        boolean someDeferred = e.getRecipientFailures().stream().anyMatch(f -> f.isTransient());
        if (e.isTransient() || someDeferred) {
            return new Verdict(Verdict.Kind.RETRY,
                    retryClassOf(e.getReplyCode(), e.getEnhancedCode(), e.getServerText(), e.getCommand()), e, error);
        }
        return new Verdict(Verdict.Kind.REJECTED, null, e, error);
    }

    /**
     * Refusals that say our set-up is wrong, not the message: retrying or rejecting the mail would both be wrong. The
     * component says so by type ({@link SmtpConfigurationException}: AUTH refused, TLS we cannot trust, a 5xx
     * greeting, 530 STARTTLS or authentication required); the codes are checked as well, so a refusal that reaches
     * us as another type is not taken for the message's fault.
     */
    private static boolean isConfiguration(SmtpDeliveryException e) {
        if (e instanceof SmtpConfigurationException) {
            return true;
        }
        int code = e.getReplyCode();
        String command = e.getCommand() == null ? "" : e.getCommand();
        return code == 530 // 5.7.0 Must issue a STARTTLS command first / Authentication required
               || code == 535 // 5.7.8 authentication failed
               || (code >= 500 && CONNECTION_STEPS.contains(command)); // 554 at the greeting, 503 5.5.1 at AUTH
    }

    /**
     * The schedule a 4xx or a fault without a reply follows: the connection class for anything that happened before
     * a mail transaction (and 421 or 454 at any step, after which the server closes), throttled for 4.7.x and the
     * usual greylisting and rate-limit wordings, transient otherwise.
     */
    public static RetryClass retryClassOf(int code, String enhancedCode, String text, String command) {
        if (code == 0 || code == 421 || code == 454 || (command != null && CONNECTION_STEPS.contains(command))) {
            return RetryClass.CONNECTION;
        }
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if ((enhancedCode != null && enhancedCode.startsWith("4.7."))
            || lower.contains("greylist") || lower.contains("graylist") || lower.contains("rate limit")
            || lower.contains("too many messages") || lower.contains("throttl")) {
            return RetryClass.THROTTLED;
        }
        return RetryClass.TRANSIENT;
    }

    /** The deferral in the cause chain of a {@link Verdict.Kind#DEFERRED} verdict. */
    static ServerDeferredException deferral(Throwable error) {
        return find(error, ServerDeferredException.class);
    }

    /** Whether the failure says the server could not be reached or kept (a connection-class retry): the circuit's. */
    public static boolean isConnectionFailure(Verdict verdict) {
        return verdict.kind() == Verdict.Kind.RETRY && verdict.retryClass() == RetryClass.CONNECTION
               && verdict.smtp() != null && verdict.smtp().getRecipientFailures().isEmpty();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        int guard = 0;
        for (Throwable c = error; c != null && guard++ < MAX_CAUSES; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
