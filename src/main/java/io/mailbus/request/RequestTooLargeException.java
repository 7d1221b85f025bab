package io.mailbus.request;

/**
 * A request this instance cannot hold in memory: reading it ran out of heap. Nothing was accepted; the HTTP edge
 * answers 413 with {@link #CODE}, and a bus request goes to the dead-letter queue like any unexpected failure,
 * rather than the error escaping as an {@link OutOfMemoryError} that no route handles.
 */
public class RequestTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error code reported for it. */
    public static final String CODE = ErrorCode.REQUEST_TOO_LARGE.code();

    public RequestTooLargeException(long bodyBytes, OutOfMemoryError cause) {
        super("the request" + (bodyBytes >= 0 ? " (" + bodyBytes + " bytes)" : "")
                + " is too large for this instance's memory (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB heap); send smaller attachments", cause);
    }
}
