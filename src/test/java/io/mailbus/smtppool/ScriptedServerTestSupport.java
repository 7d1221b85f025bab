package io.mailbus.smtppool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh scripted SMTP server per test, beside the test's CamelContext. */
abstract class ScriptedServerTestSupport extends SmtpPoolTestSupport {

    protected ScriptedSmtpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedSmtpServer();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }
}
