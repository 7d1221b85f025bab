package io.mailbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.ServerDeferredException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The guards' decisions with a clock the test moves: the circuit opens after the threshold of connection failures,
 * refuses until it has rested, lets one trial through, and closes on its success; a trial refused by the rate gives
 * its permission back; a fallback takes the requests of an open circuit.
 */
class ServerGuardsTest {

    private final MovableClock clock = new MovableClock();
    private final CamelContext context = new DefaultCamelContext();
    private final Map<String, String> settings = new HashMap<>();

    private ServerGuards guards(String names) {
        settings.put("mailbus.smtp.server.default.uri", "smtp-pool:127.0.0.1:2525");
        for (String n : names.split(",")) {
            settings.put("mailbus.smtp.server." + n + ".uri", "smtp-pool:127.0.0.1:25" + n.length());
        }
        SmtpServers servers = SmtpServers.of(names, settings::get);
        return ServerGuards.of(servers, settings::get, clock);
    }

    private Exchange to(String server) {
        Exchange e = new DefaultExchange(context);
        e.setProperty(MailbusHeaders.SERVER_NAME_PROPERTY, server);
        return e;
    }

    /** Admits an attempt and ends it as told; false when the guards deferred it. */
    private boolean attempt(ServerGuards g, String server, boolean connectionFailure) {
        Exchange e = to(server);
        try {
            g.admit(e);
        } catch (ServerDeferredException deferred) {
            return false;
        }
        g.ended(e, connectionFailure);
        return true;
    }

    @Test
    void shouldOpenAfterTheThresholdRestThenTryOnceAndClose() {
        settings.put("mailbus.smtp.server.relay.circuit.failure-threshold", "3");
        settings.put("mailbus.smtp.server.relay.circuit.open-for", "30s");
        ServerGuards g = guards("relay");

        assertThat(attempt(g, "relay", true)).isTrue();
        assertThat(attempt(g, "relay", false)).isTrue(); // a success in between: not in a row
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(g, "relay", true)).isTrue();
        }
        Instant opened = clock.instant();
        ServerDeferredException d = catchDeferral(g, "relay");
        assertThat(d.reason()).isEqualTo(ServerDeferredException.CIRCUIT_OPEN);
        assertThat(d.until()).isBetween(opened.plusSeconds(30), opened.plusSeconds(31));

        clock.advance(Duration.ofSeconds(29));
        assertThat(catchDeferral(g, "relay").reason()).isEqualTo(ServerDeferredException.CIRCUIT_OPEN);
        clock.set(d.until()); // the request comes back when it was told
        Exchange trial = to("relay");
        g.admit(trial); // half-open: one trial
        assertThatThrownBy(() -> g.admit(to("relay"))).isInstanceOf(ServerDeferredException.class);
        g.ended(trial, false);
        assertThat(attempt(g, "relay", false)).isTrue();
        assertThat(attempt(g, "relay", false)).isTrue();
    }

    @Test
    void shouldGiveTheTrialBackWhenTheRateRefusesIt() {
        settings.put("mailbus.smtp.server.relay.circuit.failure-threshold", "1");
        settings.put("mailbus.smtp.server.relay.circuit.open-for", "10s");
        settings.put("mailbus.smtp.server.relay.rate-per-minute", "1");
        ServerGuards g = guards("relay");

        Instant start = clock.instant();
        assertThat(attempt(g, "relay", true)).isTrue(); // opens the circuit, uses the minute's message
        clock.set(catchDeferral(g, "relay").until());
        ServerDeferredException d = catchDeferral(g, "relay"); // the trial's turn, but the rate says no
        assertThat(d.reason()).isEqualTo(ServerDeferredException.RATE_LIMITED);
        assertThat(d.until()).isEqualTo(start.plusSeconds(61));

        clock.set(d.until()); // had the refused trial kept its permission, the circuit would refuse this one
        assertThat(attempt(g, "relay", false)).isTrue();
    }

    @Test
    void shouldSendToTheFallbackWhileTheCircuitIsOpen() {
        settings.put("mailbus.smtp.server.relay.circuit.failure-threshold", "1");
        settings.put("mailbus.smtp.server.relay.fallback", "backup");
        ServerGuards g = guards("relay,backup");

        assertThat(attempt(g, "relay", true)).isTrue();
        Exchange e = to("relay");
        g.admit(e);

        assertThat(e.getProperty(MailbusHeaders.SERVER_NAME_PROPERTY)).isEqualTo("backup");
        assertThat(e.getProperty(MailbusHeaders.SERVER_URI_PROPERTY)).isEqualTo("smtp-pool:127.0.0.1:256");
    }

    @Test
    void shouldRefuseAFallbackWithoutACircuitOrToAnUnknownServer() {
        settings.put("mailbus.smtp.server.relay.fallback", "backup");
        assertThatThrownBy(() -> guards("relay,backup")).hasMessageContaining("needs a circuit");
        settings.put("mailbus.smtp.server.relay.circuit.failure-threshold", "2");
        settings.put("mailbus.smtp.server.relay.fallback", "nowhere");
        assertThatThrownBy(() -> guards("relay")).hasMessageContaining("names no other server");
    }

    private ServerDeferredException catchDeferral(ServerGuards g, String server) {
        try {
            g.admit(to(server));
        } catch (ServerDeferredException d) {
            return d;
        }
        throw new AssertionError("admitted, not deferred");
    }
}
