package io.mailbus.smtppool;

/** No pooled connection became free within poolMaxWait; transient, because the backlog drains. */
public class SmtpPoolExhaustedException extends SmtpTransientException {

    private static final long serialVersionUID = 1L;

    SmtpPoolExhaustedException(String server, long waitedMillis, Throwable cause) {
        super("No connection to " + server + " became free within " + waitedMillis + " ms",
              SmtpReply.none("CONNECT"), null, cause);
    }
}
