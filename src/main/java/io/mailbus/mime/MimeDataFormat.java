package io.mailbus.mime;

import io.mailbus.request.HeaderSafety;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.Mailbox;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.request.ValidationError;
import io.mailbus.smtppool.SmtpPoolConstants;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;
import org.simplejavamail.utils.mail.dkim.DkimMessage;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.Properties;

/**
 * Turns the {@link SendRequest} that {@link SendRequestValidator} produced (the exchange body when the route's
 * marshal step runs) into the RFC 5322 bytes sent on the wire, and sets the SMTP envelope beside them as exchange
 * headers ({@link SmtpPoolConstants#ENVELOPE_FROM}, {@link SmtpPoolConstants#ENVELOPE_TO}, the only recipients the
 * SMTP component will use; bcc lives only there). The request is taken as validated: its recipients are already
 * distinct and canonical, its limits already judged. The MIME is Angus Mail's; the structure is described on
 * {@code MessageBuilder}.
 *
 * <p>Only {@link HeaderSafety}, the validator's own rules for text that becomes a header, is applied again before
 * anything is written, so that a regression in the validator or a caller that skipped it still cannot inject a
 * header: such a request fails with {@link InvalidSendRequestException} and no bytes.
 *
 * <p>Attachments are decoded lazily while written, so an unsigned message costs about one extra copy of its
 * attachments' base64 in the heap; a large request's attachments are read from their spool files
 * ({@code SpooledData}) and the MIME written to the marshal step's stream, which Camel's stream cache spools to disk
 * past {@code camel.main.stream-caching-spool-threshold}, so neither is ever whole in the heap. DKIM signing goes through utils-mail-dkim's {@link DkimMessage}, which buffers
 * the whole message several times: keep signed messages well below the unsigned limits, or sign at the relay.
 */
public class MimeDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    /** The exchange header holding the Message-ID written, angle brackets included. */
    public static final String MESSAGE_ID_HEADER = "MailbusMessageId";
    /**
     * The exchange property that narrows the envelope to some of the request's recipients (a retry for those still
     * owed the message); the headers still name every recipient. Absent: every recipient.
     */
    public static final String ENVELOPE_RECIPIENTS_PROPERTY = "mailbusEnvelopeRecipients";
    /** The exchange property naming the request's tenant, whose DKIM keys come first (see {@link #setTenantDkim}). */
    public static final String TENANT_PROPERTY = "mailbusTenant";

    private String messageIdDomain = "mailbus.local";
    private boolean smtpUtf8;
    private String dkimDomain;
    private String dkimSelector;
    private String dkimPrivateKey;
    private Clock clock = Clock.systemUTC();
    private Function<String, List<DkimKey>> tenantDkim = id -> List.of();
    /** Parsed tenant keys by PEM text: a reload that keeps a key keeps its parsed form; a rotated one is new. */
    private final Map<String, PrivateKey> tenantKeys = new ConcurrentHashMap<>();

    private volatile Session session;
    private volatile PrivateKey dkimKey;

    /**
     * jakarta.mail-api 2.1 looks its {@code StreamProvider} up again on every {@code MimeUtility.encode}, which
     * Angus calls once per part written: a ServiceLoader scan of every jar on the class path, about a tenth of
     * the CPU of a small message (jakartaee/mail-api#861, open for the 2.1 line). Naming the provider in its system
     * property turns the lookup into a {@code Class.forName} of an already loaded class. An operator's own
     * value is kept.
     */
    static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";
    private static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER_PROPERTY) == null) {
            try {
                Class.forName(ANGUS_STREAM_PROVIDER, false, MimeDataFormat.class.getClassLoader());
                System.setProperty(STREAM_PROVIDER_PROPERTY, ANGUS_STREAM_PROVIDER);
            } catch (ClassNotFoundException | SecurityException e) {
                // another implementation of jakarta.mail: leave its discovery alone
            }
        }
    }

    @Override
    public String getDataFormatName() {
        return "mailbus-mime";
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        if (!(graph instanceof SendRequest request)) {
            throw new IllegalArgumentException("mailbus-mime marshals a SendRequest, not "
                    + (graph == null ? "null" : graph.getClass().getName()));
        }
        List<ValidationError> unsafe = HeaderSafety.check(request);
        if (!unsafe.isEmpty()) {
            throw new InvalidSendRequestException(unsafe);
        }
        MimeMessage message = MessageBuilder.build(session(), request, messageIdDomain, clock);
        message.saveChanges();
        String from = Mailbox.parse(request.getFrom()).address();
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_FROM, from);
        exchange.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_TO,
                narrowed(envelopeTo(request), exchange.getProperty(ENVELOPE_RECIPIENTS_PROPERTY, List.class)));
        exchange.getMessage().setHeader(MESSAGE_ID_HEADER, message.getMessageID());
        OutputStream out = new UnsyncBufferedOutputStream(stream, 8 * 1024);
        DkimKey tenantKey = tenantKey(exchange.getProperty(TENANT_PROPERTY, String.class), from);
        if (tenantKey != null) {
            PrivateKey key = tenantKeys.computeIfAbsent(tenantKey.privateKey(), DkimKey::parse);
            new DkimMessage(message, DkimKeys.signer(tenantKey.domain(), tenantKey.selector(), key)).writeTo(out);
        } else if (signs(from)) {
            new DkimMessage(message, DkimKeys.signer(dkimDomain, dkimSelector, dkimKey())).writeTo(out);
        } else {
            message.writeTo(out);
        }
        out.flush();
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return new MimeMessage(session(), stream);
    }

    /** The addresses of to, cc and bcc, in order; the validator made them distinct. */
    private static List<String> envelopeTo(SendRequest r) {
        List<String> out = new ArrayList<>(r.getTo().size() + r.getCc().size() + r.getBcc().size());
        for (List<String> list : List.of(r.getTo(), r.getCc(), r.getBcc())) {
            for (String mailbox : list) {
                out.add(Mailbox.parse(mailbox).address());
            }
        }
        return out;
    }

    /** The envelope a retry really uses: the request's recipients that are still owed, never another address. */
    private static List<String> narrowed(List<String> envelope, List<?> owed) {
        if (owed == null) {
            return envelope;
        }
        Set<String> wanted = new HashSet<>();
        owed.forEach(a -> wanted.add(String.valueOf(a).toLowerCase(Locale.ROOT)));
        List<String> out = envelope.stream().filter(a -> wanted.contains(a.toLowerCase(Locale.ROOT))).toList();
        if (out.isEmpty()) {
            throw new IllegalStateException("the recipients still owed are none of the request's");
        }
        return out;
    }

    /** The tenant's key for the sender's domain (the most specific when several match), or null. */
    private DkimKey tenantKey(String tenant, String from) {
        if (tenant == null) {
            return null;
        }
        String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        DkimKey best = null;
        for (DkimKey k : tenantDkim.apply(tenant)) {
            if (k.signs(domain) && (best == null || k.domain().length() > best.domain().length())) {
                best = k;
            }
        }
        if (tenantKeys.size() > 10_000) {
            // keys rotated away many times over: start again rather than keep every old one
            tenantKeys.clear();
        }
        return best;
    }

    private boolean signs(String from) {
        if (dkimDomain == null || dkimSelector == null || dkimPrivateKey == null) {
            return false;
        }
        String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        String d = dkimDomain.toLowerCase(Locale.ROOT);
        return domain.equals(d) || domain.endsWith("." + d);
    }

    private PrivateKey dkimKey() throws Exception {
        if (dkimKey == null) {
            dkimKey = DkimKeys.read(dkimPrivateKey);
        }
        return dkimKey;
    }

    private Session session() {
        if (session == null) {
            Properties p = new Properties();
            p.setProperty("mail.mime.allowutf8", Boolean.toString(smtpUtf8));
            session = Session.getInstance(p);
        }
        return session;
    }

    @Override
    protected void doStart() throws Exception {
        session();
        if (dkimDomain != null && dkimSelector != null && dkimPrivateKey != null) {
            DkimKeys.signer(dkimDomain, dkimSelector, dkimKey());
        }
    }

    /** Right-hand side of generated Message-IDs, {@code <requestId@domain>} (mailbus.local). */
    public void setMessageIdDomain(String messageIdDomain) {
        this.messageIdDomain = messageIdDomain;
    }

    /** Whether addresses may carry non-ASCII local parts written as raw UTF-8 (false); needs SMTPUTF8. */
    public void setSmtpUtf8(boolean smtpUtf8) {
        this.smtpUtf8 = smtpUtf8;
        this.session = null;
    }

    /** DKIM signing domain (d=); messages from it or its subdomains are signed. Unset: no signing. */
    public void setDkimDomain(String dkimDomain) {
        this.dkimDomain = blankToNull(dkimDomain);
    }

    /** DKIM selector (s=), published at {@code selector._domainkey.domain}. */
    public void setDkimSelector(String dkimSelector) {
        this.dkimSelector = blankToNull(dkimSelector);
    }

    /** DKIM private key: PEM text or a file path; RSA (rsa-sha256) or Ed25519 (ed25519-sha256), see DkimKeys. */
    public void setDkimPrivateKey(String dkimPrivateKey) {
        this.dkimPrivateKey = blankToNull(dkimPrivateKey);
        this.dkimKey = null;
    }

    /**
     * The DKIM keys of a tenant by id: mail of a tenant is signed with its key for the sender's domain, and with the
     * key of {@code mailbus.dkim.*} only when the tenant has none for it.
     */
    public void setTenantDkim(Function<String, List<DkimKey>> tenantDkim) {
        this.tenantDkim = tenantDkim;
    }

    /** The clock the Date header is read from; for tests. */
    public void setClock(Clock clock) {
        this.clock = clock;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
