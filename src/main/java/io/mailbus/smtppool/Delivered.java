package io.mailbus.smtppool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * A message the server took, for all or some recipients. Angus reports "some recipients refused" by throwing
 * after the message was sent; this turns that back into a result, since the message did go out.
 * <p>
 * Two server limits are honoured here. A message larger than the SIZE the server advertised in EHLO (RFC 1870) is
 * refused before anything is sent, since the server would only refuse it after taking all of it. Recipients refused
 * with {@code 452 4.5.3 too many recipients} (or the old {@code 552} for it) were refused only for this transaction:
 * they are sent the message in further transactions on the same connection straight away (RFC 5321 4.5.3.1.10),
 * as long as each transaction delivers to someone.
 *
 * @param accepted the recipients the server accepted
 * @param refused  the recipients it refused, with their replies
 * @param reply    the server's answer to the end of DATA
 */
record Delivered(List<String> accepted, List<RecipientFailure> refused, String reply) {

    static Delivered send(SmtpConnection c, OutgoingMessage m) throws SmtpDeliveryException {
        refuseIfTooLarge(c.transport(), m);
        Delivered first = once(c, m, m.recipients());
        Delivered all = first;
        List<RecipientFailure> more = tooManyRecipients(all.refused());
        while (!more.isEmpty() && m.rewind()) {
            Delivered next;
            try {
                next = once(c, m, addressesOf(m, more));
            } catch (SmtpDeliveryException e) {
                return all; // those recipients stay deferred with the server's 452; the others have the message
            }
            List<RecipientFailure> refused = new ArrayList<>(all.refused());
            refused.removeAll(more);
            refused.addAll(next.refused());
            List<String> accepted = new ArrayList<>(all.accepted());
            accepted.addAll(next.accepted());
            all = new Delivered(accepted, refused, next.reply());
            more = next.accepted().isEmpty() ? List.of() : tooManyRecipients(next.refused());
        }
        return all;
    }

    private static Delivered once(SmtpConnection c, OutgoingMessage m, InternetAddress[] recipients)
            throws SmtpDeliveryException {
        TrackingSmtpTransport t = c.transport();
        try {
            t.sendMessage(m.toMimeMessage(t.session()), recipients);
            c.countMessage();
            return new Delivered(addresses(recipients), List.of(), EnhancedStatusCode.clean(t.getLastServerResponse()));
        } catch (SMTPSendFailedException e) {
            if (e.getReturnCode() / 100 == 2) {
                c.countMessage();
                return new Delivered(addresses(e.getValidSentAddresses()), SmtpFailures.recipientFailures(e),
                                     EnhancedStatusCode.clean(e.getMessage()));
            }
            throw SmtpFailures.map(e, t);
        } catch (MessagingException | RuntimeException e) {
            throw SmtpFailures.map(e, t);
        }
    }

    /** RFC 1870: refuse locally what the server said it will not take, rather than stream it all to a 552. */
    private static void refuseIfTooLarge(TrackingSmtpTransport t, OutgoingMessage m) throws SmtpPermanentException {
        long limit = advertisedSize(t.getExtensionParameter("SIZE"));
        long size = m.size();
        if (limit > 0 && size > limit) {
            throw new SmtpPermanentException("Message of " + size + " bytes exceeds the " + limit
                                             + " bytes the server advertised (EHLO SIZE); nothing was sent",
                                             new SmtpReply("MAIL FROM", 552, "5.3.4", null), List.of(), null);
        }
    }

    private static long advertisedSize(String parameter) {
        try {
            return parameter == null ? 0 : Long.parseLong(parameter.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Refusals that only mean "not in this transaction": 452 (or, from old servers, 552) too many recipients. */
    private static List<RecipientFailure> tooManyRecipients(List<RecipientFailure> refused) {
        return refused.stream().filter(f -> (f.code() == 452 || f.code() == 552)
                && ("4.5.3".equals(f.enhancedCode()) || "5.5.3".equals(f.enhancedCode())
                    || (f.text() != null && f.text().toLowerCase(Locale.ROOT).contains("too many recipients"))))
                .toList();
    }

    /** The message's own recipient addresses that these failures name, in envelope order. */
    private static InternetAddress[] addressesOf(OutgoingMessage m, List<RecipientFailure> failures) {
        List<String> named = failures.stream().map(RecipientFailure::address).toList();
        return Arrays.stream(m.recipients()).filter(a -> named.contains(a.getAddress())).toArray(InternetAddress[]::new);
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of()
                : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }
}
