package io.mailbus.mime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.mailbus.request.SendRequest;
import io.mailbus.smtppool.SmtpPoolConstants;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/** First cut (placeholder until the full data format lands). */
public class MimeDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private final Session session = Session.getInstance(new Properties());
    private String messageIdDomain = "mailbus.local";

    public void setMessageIdDomain(String messageIdDomain) {
        this.messageIdDomain = messageIdDomain;
    }

    @Override
    public String getDataFormatName() {
        return "mailbus-mime";
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        SendRequest r = (SendRequest) graph;
        String messageId = "<" + r.getId() + "@" + messageIdDomain + ">";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(r.getFrom()));
        for (String to : r.getTo()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        m.setSubject(r.getSubject(), "UTF-8");
        m.setText(r.getText() == null ? "" : r.getText(), "UTF-8");
        m.saveChanges();
        m.writeTo(stream);
        List<String> rcpt = new ArrayList<>();
        for (String s : r.getTo()) {
            rcpt.add(new InternetAddress(s).getAddress());
        }
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_FROM, new InternetAddress(r.getFrom()).getAddress());
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_TO, rcpt);
        exchange.getMessage().setHeader("MailbusMessageId", messageId);
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return new MimeMessage(session, stream);
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
    }
}
