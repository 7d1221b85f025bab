package io.mailbus.ops;

import java.io.PrintStream;

import io.mailbus.MailbusMain;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.URISupport;

/**
 * The operator's command that moves dead-lettered requests back for delivery, from the application jar:
 * <pre>
 * java -cp target/mailbus-*-app.jar io.mailbus.ops.Replay --from email.rejected --id 3f6c…
 * java -cp target/mailbus-*-app.jar io.mailbus.ops.Replay --from email.dlq --code 451 --dry-run
 * </pre>
 * It reads the broker settings the way the application does (Camel's properties component on
 * {@link MailbusMain#propertyLocations()}, so {@code MAILBUS_*} environment variables override the file), prints
 * each request it moves and a count, and never prints the body, the password or a password in the broker URL.
 * Exit status: 0 done, 1 stopped by a failure (what moved before it stays moved; the rest stays put), 2 usage.
 */
public final class Replay {

    private Replay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(ReplayOptions.USAGE);
            return 2;
        }
        try (ActiveMQConnectionFactory factory = connectionFactory(err)) {
            if (factory == null) {
                return 1;
            }
            out.println((options.dryRun() ? "dry run: " : "") + "from " + options.from() + " to " + options.to()
                        + (options.jmsSelector() != null ? " where " + options.jmsSelector() : "")
                        + (options.ids().isEmpty() ? "" : " with id " + String.join(", ", options.ids())));
            Replayer.Result result = new Replayer(factory, out, retryQueue()).replay(options);
            summary(result, options, out);
            return 0;
        } catch (Replayer.ReplayFailedException e) {
            summary(e.partial(), options, out);
            err.println("stopped: " + e.getMessage());
            return 1;
        } catch (JMSException | RuntimeException e) {
            err.println("stopped: " + e + " (what is listed as moved above was moved; nothing else was touched)");
            return 1;
        }
    }

    private static void summary(Replayer.Result result, ReplayOptions options, PrintStream out) {
        out.println((options.dryRun() ? "would move " : "moved ") + result.moved().size() + " request(s) from "
                    + options.from() + " to " + options.to() + (options.dryRun() ? " (dry run: nothing moved)" : ""));
        if (!result.gone().isEmpty()) {
            out.println(result.gone().size() + " request(s) left " + options.from() + " by other means since they were listed");
        }
        if (result.skipped() > 0) {
            out.println(result.skipped() + " matching message(s) without a JMS message id were left on " + options.from());
        }
    }

    /** Where a copy owed to some recipients only goes back: the application's retry queue. */
    private static String retryQueue() {
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.setLocation(MailbusMain.propertyLocations());
        return properties.resolveProperty("mailbus.jms.retry-queue").orElse("email.retry");
    }

    /** Artemis, with the application's mailbus.jms.* settings; null (and a line on err) when they cannot be read. */
    private static ActiveMQConnectionFactory connectionFactory(PrintStream err) {
        String url;
        String username;
        String password;
        try {
            // never started (so never stopped): only its properties component, configured as the application's
            PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
            properties.setLocation(MailbusMain.propertyLocations());
            url = properties.resolveProperty("mailbus.jms.url").orElse(null);
            username = properties.resolveProperty("mailbus.jms.username").orElse("");
            password = properties.resolveProperty("mailbus.jms.password").orElse("");
        } catch (RuntimeException e) {
            err.println("cannot read the settings (" + MailbusMain.propertyLocations() + "): " + e.getMessage());
            return null;
        }
        if (url == null || url.isBlank()) {
            err.println("mailbus.jms.url is not set (" + MailbusMain.propertyLocations() + " or MAILBUS_JMS_URL)");
            return null;
        }
        err.println("broker " + URISupport.sanitizeUri(url) + (username.isBlank() ? "" : " as " + username));
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!username.isBlank()) {
            factory.setUser(username);
            factory.setPassword(password);
        }
        // no prefetch: a message is handed to this client only when it takes it, and taken only by its id
        factory.setConsumerWindowSize(0);
        return factory;
    }
}
