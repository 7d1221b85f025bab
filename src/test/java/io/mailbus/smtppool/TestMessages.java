package io.mailbus.smtppool;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/** Ready-made RFC 5322 messages and exchanges shaped as Mailbus's MIME data format hands them to the producer. */
final class TestMessages {

    private TestMessages() {
    }

    static byte[] raw(String messageId, String subject, int bodyBytes) {
        StringBuilder sb = new StringBuilder()
                .append("From: sender@example.com\r\n")
                .append("To: rcpt@example.com\r\n")
                .append("Subject: ").append(subject).append("\r\n")
                .append("Message-ID: ").append(messageId).append("\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n")
                .append("\r\n");
        String line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (sb.length() < bodyBytes) {
            sb.append(line);
        }
        sb.append(".starts with a dot\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Exchange exchange(CamelContext context, Object body, String from, List<String> to) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_FROM, from);
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_TO, to);
        return exchange;
    }
}
