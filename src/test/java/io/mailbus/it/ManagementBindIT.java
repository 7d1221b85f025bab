package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Pins that the management server (/observe/health, /observe/metrics: no authentication) listens on loopback by
 * default even when the API is opened to every interface (mailbus.http.host=0.0.0.0, as compose sets it): it
 * answers on 127.0.0.1, and a connection to this machine's non-loopback address reaches the API port but is refused
 * on the management port.
 */
class ManagementBindIT extends MailbusTestSupport {

    @Override
    protected void overrides(Properties properties) {
        properties.put("mailbus.http.host", "0.0.0.0");
    }

    @Test
    void shouldAnswerHealthOnLoopbackOnly() throws Exception {
        InetAddress external = nonLoopbackAddress();
        assumeThat(external).as("this machine has a non-loopback IPv4 address").isNotNull();

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort() + "/observe/health")).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isIn(200, 503);
        assertThat(health.body()).contains("\"status\"");
        assertThat(connects(external, httpPort())).as("the API listens on %s (all interfaces)", external).isTrue();
        assertThatThrownBy(() -> connect(external, managementPort()))
                .as("management port on %s", external).isInstanceOf(ConnectException.class);
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        connect(address, port);
        return true;
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    /** An IPv4 address of an interface that is up and not loopback, or null when there is none. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : nif.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
