package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Pins the end of DATA and the timeouts around it: the reply to the final dot gets dataEndTimeout rather than
 * readTimeout (RFC 5321 4.5.3.2); a failure after the dot was written and before it was answered is transient and
 * flagged possibly delivered, one before it or a reply to it is not; a server that stops reading after 354 cannot
 * hold a sender longer than writeTimeout.
 */
class SmtpDataEndTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    @Test
    void shouldWaitForTheReplyToTheFinalDotLongerThanTheReadTimeout() {
        server.once(".", "<delay 1500>250 2.0.0 Ok: queued as SLOW1");

        Exchange sent = send(server.uri("readTimeout=300&dataEndTimeout=20000"), RCPT);

        assertThat(sent.getException()).isNull();
        assertThat(result(sent).smtpCode()).isEqualTo(250);
        assertThat(send(server.uri("readTimeout=300&dataEndTimeout=20000"), RCPT).getException()).isNull();
        assertThat(server.connections()).as("the connection went back to the read timeout and was reused").isOne();
    }

    @Test
    void shouldStillApplyTheReadTimeoutToOtherReplies() {
        server.once("MAIL FROM", "<delay 1500>250 2.1.0 Sender OK");

        Exchange failed = send(server.uri("readTimeout=300&dataEndTimeout=20000"), RCPT);

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(e).hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(e.isPossiblyDelivered()).isFalse();
    }

    @Test
    void shouldFlagATimeoutAfterTheFinalDotAsPossiblyDelivered() {
        server.once(".", ScriptedSmtpServer.SILENT);

        Exchange failed = send(server.uri("readTimeout=5000&dataEndTimeout=300"), RCPT);

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.isPossiblyDelivered()).isTrue();
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(e).hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(e.getMessage()).contains("may have been delivered");
        assertThat(server.messages()).hasSize(1);
        assertThat(onlyPoolStatistics().invalidated()).isOne();
    }

    @Test
    void shouldFlagAConnectionDroppedAfterTheFinalDotAsPossiblyDelivered() {
        server.once(".", ScriptedSmtpServer.DROP);

        Exchange failed = send(server.uri(""), RCPT);
        Exchange next = send(server.uri(""), RCPT);

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.isPossiblyDelivered()).isTrue();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(result(failed).retryable()).isTrue();
        assertThat(next.getException()).isNull();
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void shouldNotFlagAFailureWhileWritingTheDataOrAReplyToTheDot() {
        server.once("DATA", ScriptedSmtpServer.DROP_MID_DATA);
        // larger than the socket buffers, so the write itself fails, before the dot
        Exchange midData = send(server.uri(""), TestMessages.raw("<m@t>", "m", 8 * 1024 * 1024), RCPT);
        server.once(".", "451 4.3.0 Queue file write error");
        Exchange answered = send(server.uri(""), RCPT);

        assertThat(midData.getException(SmtpTransientException.class).isPossiblyDelivered()).isFalse();
        assertThat(answered.getException(SmtpTransientException.class).isPossiblyDelivered()).isFalse();
        assertThat(answered.getException(SmtpTransientException.class).getReplyCode()).isEqualTo(451);
    }

    @Test
    void shouldGiveUpOnAServerThatStopsReadingAfter354WithinTheWriteTimeout() {
        server.ehlo("250-stub.test\r\n250 8BITMIME").once("DATA", ScriptedSmtpServer.STALL_DATA);
        byte[] large = TestMessages.raw("<stall@t>", "stall", 16 * 1024 * 1024);

        Exchange failed = send(server.uri("writeTimeout=500&readTimeout=60000"), large, RCPT);

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.isPossiblyDelivered()).isFalse();
        // Angus's write timer closes the socket under the blocked write: the write fails as "Write timed out" or,
        // when the close wins the race, as "Socket closed" (seen on a loaded 2-core machine); both are the timeout
        assertThat(causes(e)).anySatisfy(c -> assertThat(c).isInstanceOf(IOException.class)
                .message().containsAnyOf("Write timed out", "Socket closed"));
        assertThat(onlyPoolStatistics().invalidated()).isOne();
        assertThat(send(server.uri("writeTimeout=500&readTimeout=60000"), RCPT).getException()).isNull();
    }
}
