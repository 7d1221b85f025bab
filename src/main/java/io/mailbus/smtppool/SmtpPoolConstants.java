package io.mailbus.smtppool;

import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code smtp-pool} component. The envelope headers are the only way a route tells
 * the producer whom to send to; Mailbus's delivery route strips every inbound header before it sets them.
 */
public final class SmtpPoolConstants {

    @Metadata(label = "producer", description = "The envelope sender (MAIL FROM), a bare addr-spec.", javaType = "String")
    public static final String ENVELOPE_FROM = "CamelSmtpPoolEnvelopeFrom";

    @Metadata(label = "producer",
              description = "The envelope recipients (RCPT TO), bare addr-specs: to, cc and bcc together.",
              javaType = "java.util.List<String>")
    public static final String ENVELOPE_TO = "CamelSmtpPoolEnvelopeTo";

    @Metadata(label = "producer", description = "The Message-ID header value found in the sent message, if any.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelSmtpPoolMessageId";

    @Metadata(label = "producer", description = "The recipients the server accepted (RCPT TO answered 2xx).",
              javaType = "java.util.List<String>")
    public static final String ACCEPTED_RECIPIENTS = "CamelSmtpPoolAcceptedRecipients";

    @Metadata(label = "producer", description = "The recipients the server refused, each with its reply code, "
                                                + "enhanced status code and text; isTransient() tells a 4xx refusal "
                                                + "(deferred, retry later) from a 5xx one (refused for good).",
              javaType = "java.util.List<io.mailbus.smtppool.RecipientFailure>")
    public static final String REFUSED_RECIPIENTS = "CamelSmtpPoolRefusedRecipients";

    @Metadata(label = "producer", description = "The server's last reply, e.g. the answer to the end of DATA.",
              javaType = "String")
    public static final String REPLY = "CamelSmtpPoolReply";

    @Metadata(label = "producer", description = "How many messages the connection had carried before this one "
                                                + "(0 for a fresh connection).",
              javaType = "int")
    public static final String CONNECTION_REUSE_COUNT = "CamelSmtpPoolConnectionReuseCount";

    @Metadata(label = "producer", description = "The outcome of the send as one JSON-serialisable object, also set "
                                                + "when the send failed.",
              javaType = "io.mailbus.smtppool.DeliveryResult")
    public static final String DELIVERY_RESULT = "CamelSmtpPoolDeliveryResult";

    private SmtpPoolConstants() {
    }
}
