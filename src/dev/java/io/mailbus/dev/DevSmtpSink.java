package io.mailbus.dev;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev runner's SMTP sink (GreenMail on loopback). Received mail is logged as it arrives and served
 * read-only as JSON at {@code GET /dev/mail} on the application's HTTP port; this class never reaches the
 * production jar (src/dev is a test source root).
 */
public final class DevSmtpSink extends RouteBuilder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.dev.sink");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GreenMail greenMail;
    private int logged;

    public DevSmtpSink(int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    @Override
    public void configure() {
        from("platform-http:/dev/mail?httpMethodRestrict=GET").routeId("dev-mail")
                .process(this::listMail);
        from("timer:dev-sink-log?period=1000").routeId("dev-sink-log")
                .process(e -> logNew());
    }

    private synchronized void logNew() throws Exception {
        MimeMessage[] received = greenMail.getReceivedMessages();
        for (; logged < received.length; logged++) {
            MimeMessage m = received[logged];
            LOG.info("SMTP sink received #{}: Message-ID={} From={} To={} Subject={}", logged + 1,
                    m.getMessageID(), join(m.getFrom()), join(m.getAllRecipients()), m.getSubject());
        }
    }

    private void listMail(Exchange exchange) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("messageId", m.getMessageID());
            item.put("from", join(m.getFrom()));
            item.put("envelopeTo", join(m.getAllRecipients()));
            item.put("subject", m.getSubject());
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            m.writeTo(raw);
            item.put("raw", raw.toString(java.nio.charset.StandardCharsets.UTF_8));
            out.add(item);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static String join(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        List<String> s = new ArrayList<>();
        for (Address a : addresses) {
            s.add(a.toString());
        }
        return String.join(", ", s);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
