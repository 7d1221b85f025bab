package io.mailbus.it;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.mailbus.MailbusMain;
import io.mailbus.dev.FreePorts;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The real application (config/application.properties, routes/*.yaml) in this JVM with a Camel context of its
 * own, on the shared servers of {@link TestBrokers}: a test can run two side by side, or stop one gracefully and
 * start another, the way an operator restarts or scales out instances.
 */
final class InJvmApplication implements AutoCloseable {

    private final Main main;
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private InJvmApplication(Main main, String name) {
        this.main = main;
        this.thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                failure.set(e);
            }
        }, name);
    }

    /** Starts an instance with these settings on top of the shared servers' ones, and waits until it runs. */
    static InJvmApplication start(String name, Map<String, String> settings) throws Exception {
        Main main = MailbusMain.newMain();
        main.addOverrideProperty("mailbus.http.port", String.valueOf(FreePorts.next()));
        main.addOverrideProperty("mailbus.management.port", String.valueOf(FreePorts.next()));
        main.addOverrideProperty("mailbus.api.keys", "in-jvm-test-key-0123");
        main.addOverrideProperty("mailbus.jms.url", TestBrokers.artemis().url());
        main.addOverrideProperty("mailbus.kafka.brokers", TestBrokers.kafka().bootstrapServers());
        main.addOverrideProperty("mailbus.smtp.host", "127.0.0.1");
        main.addOverrideProperty("mailbus.smtp.port", String.valueOf(TestBrokers.greenMail().getSmtp().getPort()));
        main.addOverrideProperty("mailbus.smtp.encryption", "none");
        if (!settings.containsKey("mailbus.db.url")) {
            main.addOverrideProperty("mailbus.db.url", TestBrokers.newDatabase());
        }
        settings.forEach(main::addOverrideProperty);
        CountDownLatch started = new CountDownLatch(1);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                started.countDown();
            }
        });
        InJvmApplication app = new InJvmApplication(main, name);
        app.thread.start();
        while (!started.await(100, TimeUnit.MILLISECONDS)) {
            if (!app.thread.isAlive()) {
                throw new IllegalStateException(name + " did not start", app.failure.get());
            }
        }
        return app;
    }

    /** A graceful stop, as on SIGTERM: consumers stop first, exchanges in flight finish. */
    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(60_000);
    }
}
