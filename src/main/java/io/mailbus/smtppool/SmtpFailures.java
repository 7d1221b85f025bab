package io.mailbus.smtppool;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Turns what Angus Mail throws into the {@link SmtpDeliveryException} hierarchy, keeping the server's reply
 * exactly. Angus spreads it over exception types, chained per-recipient exceptions and the transport's last reply.
 * <p>
 * The one place that decides the class of a failure:
 * <ul>
 * <li>{@link SmtpConfigurationException}: the server refuses our setup, not the message: AUTH refused (535, 503...),
 * {@code 530} at MAIL FROM, RCPT TO or DATA (STARTTLS or authentication required), TLS we cannot trust or do, and
 * a 5xx greeting or EHLO;</li>
 * <li>{@link SmtpTransientException}: any 4xx (a {@code 454} at AUTH too), every network fault without a reply,
 * a reply that is no SMTP reply (a code outside 200-599, no code, an empty line) or that did not arrive whole in
 * time or within its byte budget (all without a reply code, so retried as a connection failure),
 * a TLS handshake the server cut off (EOF, reset, timeout) included; flagged possibly delivered when the fault
 * came after the end-of-data dot was written;</li>
 * <li>otherwise {@link SmtpPermanentException} or {@link SmtpRecipientsRejectedException} by the reply.</li>
 * </ul>
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static SmtpDeliveryException map(Exception e, TrackingSmtpTransport t) {
        if (e instanceof SmtpDeliveryException sde) {
            return sde;
        }
        String step = t.step();
        if (t.lateReplyTimeout() > 0) {
            boolean afterDot = t.awaitingDataEndReply();
            return new SmtpTransientException("The server's reply to " + step + " did not complete within "
                                              + t.lateReplyTimeout() + " ms", SmtpReply.none(step), null, e, afterDot);
        }
        int code = e instanceof SMTPSendFailedException sfe ? sfe.getReturnCode() : t.getLastReturnCode();
        if (code > 0 && (code < 200 || code > 599)) {
            return new SmtpTransientException("The server answered " + step + " with something that is not an SMTP "
                                              + "reply: " + printable(t.getLastServerResponse()),
                                              SmtpReply.none(step), null, e);
        }
        if (e instanceof AuthenticationFailedException) {
            return authFailure(e, t);
        }
        if (isTlsFailure(e) && !isNetworkFault(e)) {
            String command = "CONNECT".equals(step) ? "CONNECT" : "STARTTLS";
            return new SmtpTlsException("TLS could not be established as configured", lastReplyIfError(command, t), e);
        }
        if (e instanceof SMTPSendFailedException sfe && sfe.getReturnCode() > 0) {
            SmtpReply reply = SmtpReply.of(commandName(sfe.getCommand(), step), sfe.getReturnCode(), sfe.getMessage());
            return byReply("Server refused " + reply.command(), reply, recipientFailures(sfe), e);
        }
        if (e instanceof SendFailedException sf && !(e instanceof SMTPSendFailedException)) {
            List<RecipientFailure> failures = recipientFailures(sf);
            if (!failures.isEmpty()) {
                RecipientFailure last = failures.get(failures.size() - 1);
                if (last.code() == 530) {
                    return required(new SmtpReply("RCPT TO", last.code(), last.enhancedCode(), last.text()), e);
                }
                return new SmtpRecipientsRejectedException(
                        new SmtpReply("RCPT TO", last.code(), last.enhancedCode(), last.text()), failures, e);
            }
        }
        boolean closedByServer = t.getLastReturnCode() == -1; // Angus's "[EOF]" (or an unreadable reply)
        if (hasCause(e, IOException.class) || e instanceof IllegalStateException || e instanceof SMTPSendFailedException
            || closedByServer) {
            SmtpReply said = t.firstError();
            if (said != null) {
                return byReply("Server refused " + said.command() + " and closed the connection", said, List.of(), e);
            }
            boolean afterDot = t.awaitingDataEndReply();
            return new SmtpTransientException(afterDot ? "Connection to the SMTP server failed after the whole message "
                                                         + "was sent and before the server answered; it may have been "
                                                         + "delivered" : "Connection to the SMTP server failed",
                                              SmtpReply.none(step), null, e, afterDot);
        }
        SmtpReply reply = lastReplyIfError(step, t);
        if (reply.code() > 0) {
            return byReply("Server refused " + step, reply, List.of(), e);
        }
        return new SmtpPermanentException("SMTP protocol failure: " + e.getMessage(), reply, List.of(), e);
    }

    /**
     * AUTH failed: the server refusing our credentials or mechanism is configuration; a 4xx (454 4.7.0 Temporary
     * authentication failure) or a connection that broke during AUTH is transient.
     */
    private static SmtpDeliveryException authFailure(Exception e, TrackingSmtpTransport t) {
        SmtpReply reply = lastReplyIfError("AUTH", t);
        if (reply.code() >= 400 && reply.code() < 500) {
            return new SmtpTransientException("SMTP authentication failed for now", reply, null, e);
        }
        // Angus reads a connection closed mid-AUTH as reply -1 ("[EOF]") and reports it as a refused login
        if (reply.code() == 0 && (t.getLastReturnCode() == -1 || hasCause(e, IOException.class))) {
            return new SmtpTransientException("Connection to the SMTP server failed during AUTH", reply, null, e);
        }
        return new SmtpAuthenticationException(reply, e);
    }

    /**
     * A reply the server refused a command with: 530 anywhere and 5xx to the greeting or EHLO refuse our setup or
     * this client, not the message; the rest by code.
     */
    private static SmtpDeliveryException byReply(String message, SmtpReply reply, List<RecipientFailure> failures,
                                                 Exception e) {
        if (reply.code() == 530) {
            return required(reply, e);
        }
        if (reply.code() >= 500 && ("CONNECT".equals(reply.command()) || "EHLO".equals(reply.command()))) {
            return new SmtpConfigurationException("Server refuses this client at " + reply.command(), reply, e);
        }
        return byCode(message, reply, failures, e);
    }

    /** A 530: the server requires STARTTLS (RFC 3207) or authentication (RFC 4954) that we were not set up for. */
    private static SmtpConfigurationException required(SmtpReply reply, Exception e) {
        if (reply.text() != null && reply.text().toUpperCase(Locale.ROOT).contains("STARTTLS")) {
            return new SmtpTlsException("Server requires STARTTLS, which this endpoint does not use", reply, e);
        }
        return new SmtpAuthenticationException("Server requires authentication this endpoint did not give", reply, e);
    }

    static SmtpDeliveryException byCode(String message, SmtpReply reply, List<RecipientFailure> failures, Exception e) {
        return reply.code() >= 500 ? new SmtpPermanentException(message, reply, failures, e)
                : new SmtpTransientException(message, reply, failures, e);
    }

    /** The per-recipient refusals Angus chains behind a send failure, in RCPT TO order. */
    static List<RecipientFailure> recipientFailures(MessagingException e) {
        List<RecipientFailure> out = new ArrayList<>();
        Exception next = e.getNextException();
        int guard = 0;
        while (next instanceof MessagingException me && guard++ < 10_000) {
            if (me instanceof SMTPAddressFailedException af) {
                out.add(new RecipientFailure(af.getAddress().getAddress(), af.getReturnCode(),
                                             EnhancedStatusCode.parse(af.getMessage()),
                                             EnhancedStatusCode.clean(af.getMessage())));
            }
            next = me.getNextException();
        }
        return out;
    }

    private static String commandName(String raw, String step) {
        if (raw == null) {
            return step;
        }
        String c = raw.toUpperCase(Locale.ROOT);
        if (c.startsWith("MAIL")) {
            return "MAIL FROM";
        }
        if (c.startsWith("RCPT")) {
            return "RCPT TO";
        }
        if (c.equals(".") || c.startsWith("DATA") || c.startsWith("BDAT")) {
            return "DATA";
        }
        return step;
    }

    private static SmtpReply lastReply(String command, TrackingSmtpTransport t) {
        return SmtpReply.of(command, t.getLastReturnCode(), t.getLastServerResponse());
    }

    /** The transport's last reply only if it was an error; a stale 250 says nothing about this failure. */
    private static SmtpReply lastReplyIfError(String command, TrackingSmtpTransport t) {
        return t.getLastReturnCode() >= 400 ? lastReply(command, t) : SmtpReply.none(command);
    }

    /** A reply that is not SMTP, quoted for the message: its first 80 characters, control characters as '?'. */
    private static String printable(String reply) {
        if (reply == null) {
            return "nothing";
        }
        String trimmed = reply.strip();
        String head = trimmed.length() > 80 ? trimmed.substring(0, 80) + "..." : trimmed;
        return "'" + head.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static boolean isTlsFailure(Exception e) {
        if (hasCause(e, SSLException.class) || hasCause(e, CertificateException.class)) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("STARTTLS is required") || m.contains("verify identity of server"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection itself failed (EOF, reset, timeout), e.g. a server under load dropping a TLS handshake: Java
     * reports that as an SSLException caused by one of these, and it is no configuration fault.
     */
    private static boolean isNetworkFault(Exception e) {
        return hasCause(e, EOFException.class) || hasCause(e, SocketException.class)
               || hasCause(e, SocketTimeoutException.class);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        int guard = 0;
        for (Throwable c = e; c != null && guard++ < 50; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
