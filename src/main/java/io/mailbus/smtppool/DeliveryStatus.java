package io.mailbus.smtppool;

/** The outcome of one send, coarse enough for a route to branch on. */
public enum DeliveryStatus {
    /** Every recipient accepted and the server took the message. */
    SUCCESS,
    /** The server took the message for some recipients and refused others; see the recipient failures. */
    PARTIAL,
    /** The server refused the message or every recipient with a 5xx reply. */
    REJECTED,
    /** A 4xx reply or a network/pool fault: the same message may go through later. */
    TEMP_FAILED,
    /** A permanent fault without a rejection of this message: authentication, TLS or protocol errors. */
    FAILED,
    /** The exchange had no usable envelope or body; nothing was sent. */
    INVALID
}
