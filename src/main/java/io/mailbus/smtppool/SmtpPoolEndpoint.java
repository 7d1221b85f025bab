package io.mailbus.smtppool;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Sends ready-made RFC 5322 messages over pooled SMTP connections and reports every server reply as data.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "smtp-pool", title = "SMTP Pool", syntax = "smtp-pool:host:port",
             producerOnly = true, category = { Category.MAIL }, headersClass = SmtpPoolConstants.class)
public class SmtpPoolEndpoint extends DefaultEndpoint {

    @UriParam
    private final SmtpPoolConfiguration configuration;

    SmtpPoolEndpoint(String uri, SmtpPoolComponent component, SmtpPoolConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public SmtpPoolComponent getComponent() {
        return (SmtpPoolComponent) super.getComponent();
    }

    public SmtpPoolConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        return new SmtpPoolProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("smtp-pool only sends; it has no consumer");
    }
}
