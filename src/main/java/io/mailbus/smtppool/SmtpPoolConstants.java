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

    private SmtpPoolConstants() {
    }
}
