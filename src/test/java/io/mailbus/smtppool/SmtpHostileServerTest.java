package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SMTP side of the adversarial suite: a server that answers garbage, floods, trickles, splits, stops reading or
 * stops answering, or botches TLS. Pins that each such send ends in its class (transient with no reply code, which
 * the outcome classifier retries as a connection failure; TLS configuration where the server says it speaks TLS and
 * then cannot) within the configured timeouts, and that nothing leaks: no connection is left borrowed, the client
 * closes every socket it opened, and no pool thread outlives the CamelContext.
 */
class SmtpHostileServerTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");
    private static SSLContext selfSigned;

    @BeforeAll
    static void makeCertificate() throws Exception {
        selfSigned = TestCertificates.authority("Nobody Trusts This CA").serverContext("127.0.0.1", "localhost");
    }

    @AfterEach
    void shouldLeakNothing() {
        context.getComponent("smtp-pool", SmtpPoolComponent.class).getPoolStatistics().values()
                .forEach(s -> assertThat(s.active()).as("borrowed connections of %s", s.server()).isZero());
        context.stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(poolThreads()).isEmpty());
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains("SmtpPool")).toList();
    }

    /** The client hung up every connection it opened (the stub sees each one end). */
    private void assertEveryConnectionClosed(ScriptedSmtpServer s) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(s.openConnections()).isZero());
    }

    private static SmtpTransientException transientFailure(Exchange failed, String command) {
        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getCommand()).isEqualTo(command);
        assertThat(e.getReplyCode()).as("no valid SMTP reply").isZero();
        assertThat(result(failed).retryable()).isTrue();
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = { "hello there", "999 what is this", "", "22", "099 too low" })
    void shouldTreatAGarbageGreetingAsATransientConnectionFailure(String greeting) {
        server.greeting(greeting);

        Exchange failed = send(server.uri(""), RCPT);

        transientFailure(failed, "CONNECT");
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertEveryConnectionClosed(server);
    }

    @ParameterizedTest
    @ValueSource(strings = { "MAIL:999 5.0.0 what", "MAIL:sure, go on", "RCPT:", "RCPT:ok fine", "DATA:999 huh" })
    void shouldTreatAGarbageReplyMidSessionAsTransientNotARejection(String script) {
        String command = script.substring(0, script.indexOf(':'));
        server.on(command, script.substring(script.indexOf(':') + 1));

        Exchange failed = send(server.uri(""), RCPT);

        transientFailure(failed, command.equals("MAIL") ? "MAIL FROM" : command.equals("RCPT") ? "RCPT TO" : command);
        assertThat(server.messages()).isEmpty();
        assertThat(onlyPoolStatistics().idle()).as("the connection is not pooled again").isZero();
        assertEveryConnectionClosed(server);
    }

    @ParameterizedTest
    @ValueSource(strings = { "greeting", "MAIL" })
    void shouldGiveUpOnAReplyLineWithoutEndInsteadOfBufferingIt(String where) {
        if (where.equals("greeting")) {
            server.greeting("<flood 1048576>");
        } else {
            server.on(where, "<flood 1048576>");
        }

        Exchange failed = send(server.uri("readTimeout=3000"), RCPT);

        SmtpTransientException e = transientFailure(failed, where.equals("greeting") ? "CONNECT" : "MAIL FROM");
        assertThat(causes(e)).anySatisfy(c -> assertThat(c).hasMessageContaining("longer than 65536 bytes"));
        assertEveryConnectionClosed(server);
    }

    @Test
    void shouldGiveUpOnAnEndlessMultiLineReply() {
        server.ehlo("250-stub.test\r\n" + "250-X-PADDING\r\n".repeat(10_000) + "250 SIZE 1000000");

        Exchange failed = send(server.uri(""), RCPT);

        SmtpTransientException e = transientFailure(failed, "EHLO");
        assertThat(causes(e)).anySatisfy(c -> assertThat(c).hasMessageContaining("longer than 65536 bytes"));
        assertEveryConnectionClosed(server);
    }

    @Test
    void shouldParseAMultiLineReplySplitAcrossPackets() {
        server.ehlo("250-stub<split>.test\r\n250-8BIT<split>MIME\r<split>\n250-AUTH PL<split>AIN LOGIN\r\n2<split>50 SIZE 10240000")
                .on("AUTH", "235 2.7.0 Acc<split>epted")
                .on(".", "250 2.0.0 Ok: <split>queued as SPLIT1");

        Exchange sent = send(server.uri("username=joe&password=pw&authMechanisms=PLAIN"), RCPT);

        assertThat(sent.getException()).isNull();
        assertThat(server.commands()).anyMatch(c -> c.startsWith("AUTH PLAIN"));
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.REPLY, String.class)).contains("queued as SPLIT1");
        assertThat(onlyPoolStatistics().idle()).as("a clean connection goes back to the pool").isOne();
    }

    @Test
    void shouldBoundASlowlorisGreetingByTheReadTimeoutAsAWhole() {
        String greeting = "220 stub.test ESMTP ready";
        server.greeting("<slow 500>" + greeting);

        Exchange failed = send(server.uri("readTimeout=1000&connectTimeout=1000"), RCPT);

        SmtpTransientException e = transientFailure(failed, "CONNECT");
        assertThat(e.getMessage()).contains("did not complete within 1000 ms");
        assertThat(server.slowBytesSent()).as("the client hung up before the greeting ended")
                .isLessThan(greeting.length() + 2);
        assertEveryConnectionClosed(server);
    }

    @Test
    void shouldCloseAConnectionWhoseServerStopsReadingMidData() {
        server.ehlo("250-stub.test\r\n250 8BITMIME").once("DATA", ScriptedSmtpServer.STALL_DATA);

        Exchange failed = send(server.uri("writeTimeout=500&readTimeout=60000"),
                               TestMessages.raw("<stall@t>", "stall", 16 * 1024 * 1024), RCPT);

        SmtpTransientException e = transientFailure(failed, "DATA");
        assertThat(e.isPossiblyDelivered()).isFalse();
        assertThat(onlyPoolStatistics().invalidated()).isOne();
        assertThat(onlyPoolStatistics().idle()).isZero();
    }

    @Test
    void shouldGiveUpOnAServerThatNeverAnswersTheFinalDot() {
        server.once(".", ScriptedSmtpServer.SILENT);

        Exchange failed = send(server.uri("dataEndTimeout=300"), RCPT);

        SmtpTransientException e = transientFailure(failed, "DATA");
        assertThat(e.isPossiblyDelivered()).isTrue();
        assertThat(server.messages()).hasSize(1);
        assertThat(onlyPoolStatistics().invalidated()).isOne();
        assertEveryConnectionClosed(server);
    }

    @ParameterizedTest
    @ValueSource(strings = { ScriptedSmtpServer.DROP_HANDSHAKE, ScriptedSmtpServer.RESET_HANDSHAKE })
    void shouldTreatADroppedTlsHandshakeAsATransientConnectionFailure(String drop) throws Exception {
        try (ScriptedSmtpServer tls = new ScriptedSmtpServer(selfSigned, false)) {
            tls.on("STARTTLS", drop);

            Exchange failed = send(tls.uri("encryption=starttls"), RCPT);

            transientFailure(failed, "STARTTLS");
            assertEveryConnectionClosed(tls);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "garbage", "untrusted" })
    void shouldTreatAServerThatCannotDoTheTlsItOffersAsTlsConfiguration(String fault) throws Exception {
        try (ScriptedSmtpServer tls = new ScriptedSmtpServer(selfSigned, false)) {
            if (fault.equals("garbage")) {
                tls.on("STARTTLS", ScriptedSmtpServer.GARBAGE_HANDSHAKE);
            }

            Exchange failed = send(tls.uri("encryption=starttls"), RCPT);

            SmtpTlsException e = failed.getException(SmtpTlsException.class);
            assertThat(e).as("exception %s", failed.getException()).isNotNull();
            assertThat(e.getCommand()).isEqualTo("STARTTLS");
            assertThat(tls.commands()).noneMatch(c -> c.startsWith("MAIL"));
            assertEveryConnectionClosed(tls);
        }
    }
}
