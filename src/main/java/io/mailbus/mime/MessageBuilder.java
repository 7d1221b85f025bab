package io.mailbus.mime;

import io.mailbus.request.Attachment;
import io.mailbus.request.Mailbox;
import io.mailbus.request.SendRequest;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.PreencodedMimeBodyPart;

import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the Angus {@link MimeMessage} of a normalised send request. The structure, outermost first:
 * {@code multipart/mixed} when there are attachments; {@code multipart/related} when the html refers to
 * inline parts by contentId; {@code multipart/alternative} when there are both text and html; otherwise the
 * single text or html part is the message body. Every part names its transfer encoding, so Angus never picks
 * 7bit/8bit, which would pass bare CR or LF through.
 */
final class MessageBuilder {

    private MessageBuilder() {
    }

    static MimeMessage build(Session session, SendRequest r, String messageIdDomain, Clock clock)
            throws MessagingException {
        MimeMessage m = new FixedIdMessage(session, "<" + r.getId() + "@" + messageIdDomain + ">");
        m.setFrom(address(r.getFrom()));
        setRecipients(m, Message.RecipientType.TO, r.getTo());
        setRecipients(m, Message.RecipientType.CC, r.getCc());
        if (!r.getReplyTo().isEmpty()) {
            m.setReplyTo(addresses(r.getReplyTo()));
        }
        m.setHeader("Subject", HeaderValues.encode("Subject", r.getSubject()));
        m.setHeader("Date", DateHeader.of(clock.instant()));
        for (Map.Entry<String, String> h : r.getHeaders().entrySet()) {
            m.addHeader(h.getKey(), HeaderValues.encode(h.getKey(), h.getValue()));
        }
        setContent(m, r);
        return m;
    }

    private static void setContent(MimeMessage m, SendRequest r) throws MessagingException {
        List<Attachment> inline = new ArrayList<>();
        List<Attachment> attached = new ArrayList<>();
        for (Attachment a : r.getAttachments()) {
            (a.getContentId() != null && r.getHtml() != null ? inline : attached).add(a);
        }
        Node body;
        if (r.getText() != null && r.getHtml() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(part(new Text(r.getText(), "plain")));
            alternative.addBodyPart(part(new Text(r.getHtml(), "html")));
            body = new Multi(alternative, null);
        } else if (r.getText() != null) {
            body = new Text(r.getText(), "plain");
        } else {
            body = new Text(r.getHtml(), "html");
        }
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related");
            related.addBodyPart(part(body));
            for (Attachment a : inline) {
                related.addBodyPart(attachmentPart(a));
            }
            body = new Multi(related, body instanceof Multi ? "multipart/alternative" : "text/html");
        }
        if (!attached.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(part(body));
            for (Attachment a : attached) {
                mixed.addBodyPart(attachmentPart(a));
            }
            body = new Multi(mixed, null);
        }
        body.applyTo(m);
    }

    private static MimeBodyPart part(Node node) throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        node.applyTo(p);
        return p;
    }

    /**
     * Canonical base64 (what every encoder writes) goes out as the request's own text, re-wrapped; anything else is
     * decoded and encoded again by Angus. Both write the same bytes for the same data.
     */
    private static MimeBodyPart attachmentPart(Attachment a) throws MessagingException {
        MimeBodyPart p;
        WrappedBase64Source wrapped = a.getSpooled() != null ? null
                : WrappedBase64Source.of(a.getData(), a.getContentType(), a.getFilename());
        if (wrapped != null) {
            p = new PreencodedMimeBodyPart("base64");
            p.setDataHandler(new DataHandler(wrapped));
        } else {
            // a large request's attachment was decoded into its spool file: Angus encodes it as it reads it
            p = new MimeBodyPart();
            p.setDataHandler(new DataHandler(a.getSpooled() != null
                    ? new Base64DataSource(a.getSpooled()::open, a.getContentType(), a.getFilename())
                    : new Base64DataSource(a.getData(), a.getContentType(), a.getFilename())));
        }
        p.setHeader("Content-Type", a.getContentType());
        p.setDisposition(a.getDisposition());
        p.setFileName(a.getFilename());
        if (a.getContentId() != null) {
            p.setContentID("<" + a.getContentId() + ">");
        }
        p.setHeader("Content-Transfer-Encoding", "base64");
        return p;
    }

    /** The content of a part or of the message itself, which is a part but not a MimeBodyPart. */
    private interface Node {
        void applyTo(MimePart target) throws MessagingException;
    }

    private record Text(String text, String subtype) implements Node {
        @Override
        public void applyTo(MimePart target) throws MessagingException {
            target.setDataHandler(new DataHandler(new Utf8TextSource(text, subtype)));
            target.setHeader("Content-Transfer-Encoding", BodyEncoding.choose(text));
        }
    }

    /** A multipart; {@code relatedType} is RFC 2387's type parameter of multipart/related. */
    private record Multi(MimeMultipart multipart, String relatedType) implements Node {
        @Override
        public void applyTo(MimePart target) throws MessagingException {
            target.setContent(multipart);
            if (relatedType != null) {
                ContentType ct = new ContentType(multipart.getContentType());
                ct.setParameter("type", relatedType);
                target.setHeader("Content-Type", ct.toString());
            }
        }
    }

    private static void setRecipients(MimeMessage m, Message.RecipientType type, List<String> list)
            throws MessagingException {
        if (!list.isEmpty()) {
            m.setRecipients(type, addresses(list));
        }
    }

    private static InternetAddress[] addresses(List<String> list) {
        InternetAddress[] out = new InternetAddress[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = address(list.get(i));
        }
        return out;
    }

    private static InternetAddress address(String mailbox) {
        Mailbox mb = Mailbox.parse(mailbox);
        try {
            return new InternetAddress(mb.address(), mb.displayName(), "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the Message-ID derived from the request id; Angus would otherwise invent one on saveChanges. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
