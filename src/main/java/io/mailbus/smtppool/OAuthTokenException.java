package io.mailbus.smtppool;

/**
 * Thrown by an {@link SmtpPoolConfiguration#setOauthTokenSupplier OAuth token supplier} that could not get a token.
 * A {@link java.util.function.Supplier} cannot throw the component's checked exceptions, so this says which kind of
 * failure it was: the connection turns it into an {@link SmtpConfigurationException} (the identity provider refused
 * our client: its id, secret or scope is wrong; kept for replay, the server reported down) or, when
 * {@link #isTransient()}, an {@link SmtpTransientException} at AUTH (the identity provider is busy or slow: retried
 * on the connection schedule).
 */
public class OAuthTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public OAuthTokenException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True when asking again later can succeed without changing the set-up (5xx, 429, a timeout). */
    public boolean isTransient() {
        return transientFailure;
    }
}
