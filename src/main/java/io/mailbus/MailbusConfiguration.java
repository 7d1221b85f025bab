package io.mailbus;

import java.time.Duration;

import io.mailbus.http.ApiKeyAuthenticator;
import io.mailbus.http.HttpErrorResponder;
import io.mailbus.http.IdempotencyKeys;
import io.mailbus.http.JsonErrorPages;
import io.mailbus.http.QueuedResponder;
import io.mailbus.mime.MimeDataFormat;
import io.mailbus.outcome.EventPublisher;
import io.mailbus.outcome.Outcomes;
import io.mailbus.outcome.RetryPolicy;
import io.mailbus.outcome.SmtpServers;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.smtppool.SmtpPoolComponent;
import io.mailbus.smtppool.SmtpPoolMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.util.TimeUtils;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The beans the YAML flows refer to by name, built from {@code mailbus.*} settings. Kept in Java so that a
 * wrong setting fails at start-up with a message, not later inside a route.
 */
public class MailbusConfiguration implements CamelConfiguration {

    @PropertyInject("mailbus.jms.url")
    private String jmsUrl;
    @PropertyInject(value = "mailbus.jms.username", defaultValue = "")
    private String jmsUsername;
    @PropertyInject(value = "mailbus.jms.password", defaultValue = "")
    private String jmsPassword;

    @PropertyInject("mailbus.api.keys")
    private String apiKeys;
    @PropertyInject(value = "mailbus.api.auth-enabled", defaultValue = "true")
    private boolean apiAuthEnabled;
    @PropertyInject("mailbus.http.port")
    private int httpPort;
    @PropertyInject("mailbus.http.max-body-bytes")
    private long maxBodyBytes;

    @PropertyInject(value = "mailbus.http.idempotency.cache-size", defaultValue = "100000")
    private int httpIdempotencyCacheSize;
    @PropertyInject(value = "mailbus.http.idempotency.ttl", defaultValue = "24h")
    private String httpIdempotencyTtl;

    @PropertyInject("mailbus.from.default")
    private String defaultFrom;
    @PropertyInject("mailbus.message-id.domain")
    private String messageIdDomain;
    @PropertyInject(value = "mailbus.dkim.domain", defaultValue = "")
    private String dkimDomain;
    @PropertyInject(value = "mailbus.dkim.selector", defaultValue = "")
    private String dkimSelector;
    @PropertyInject(value = "mailbus.dkim.private-key", defaultValue = "")
    private String dkimPrivateKey;
    @PropertyInject("mailbus.limits.max-recipients")
    private int maxRecipients;
    @PropertyInject(value = "mailbus.limits.max-subject-length", defaultValue = "998")
    private int maxSubjectLength;
    @PropertyInject(value = "mailbus.limits.max-attachment-bytes", defaultValue = "26214400")
    private long maxAttachmentBytes;
    @PropertyInject(value = "mailbus.limits.max-total-attachment-bytes", defaultValue = "104857600")
    private long maxTotalAttachmentBytes;

    @PropertyInject("mailbus.endpoint.events")
    private String eventsEndpoint;
    @PropertyInject("mailbus.retry.connection")
    private String retryConnection;
    @PropertyInject("mailbus.retry.transient")
    private String retryTransient;
    @PropertyInject("mailbus.retry.throttled")
    private String retryThrottled;
    @PropertyInject(value = "mailbus.idempotency.store", defaultValue = "memory")
    private String idempotencyStore;
    @PropertyInject(value = "mailbus.idempotency.cache-size", defaultValue = "100000")
    private int idempotencyCacheSize;
    @PropertyInject(value = "mailbus.idempotency.kafka-topic", defaultValue = "email.delivered-ids")
    private String idempotencyTopic;
    @PropertyInject("mailbus.kafka.brokers")
    private String kafkaBrokers;

    @PropertyInject(value = "mailbus.smtp.servers", defaultValue = "")
    private String smtpServerNames;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.addStartupListener(new JsonErrorPages(httpPort, maxBodyBytes));
        camelContext.addStartupListener(new PoolMetrics());
    }

    /** Binds the smtp-pool statistics to the Micrometer registry that /observe/metrics serves. */
    private static final class PoolMetrics implements StartupListener {
        private boolean bound;

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        }

        @Override
        public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
            if (registry != null && !bound) {
                new SmtpPoolMeterBinder(context.getComponent("smtp-pool", SmtpPoolComponent.class)).bindTo(registry);
                bound = true;
            }
        }
    }

    /**
     * camel-jms over one cached Artemis connection: JmsTemplate would otherwise open a connection per send.
     * Artemis blocks a persistent send until the broker has journalled it, which is what lets the HTTP edge
     * answer 202 only for a durably queued request.
     */
    @BindToRegistry("jms")
    public JmsComponent jms() {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(jmsUrl);
        if (!jmsUsername.isEmpty()) {
            artemis.setUser(jmsUsername);
            artemis.setPassword(jmsPassword);
        }
        artemis.setBlockOnDurableSend(true);
        CachingConnectionFactory cached = new CachingConnectionFactory(artemis);
        cached.setSessionCacheSize(16);
        cached.setReconnectOnException(true);
        // the listener containers keep their own consumers (CACHE_CONSUMER); a consumer cached here would
        // outlive its container and hold prefetched messages that nobody processes
        cached.setCacheConsumers(false);
        JmsComponent jms = new JmsComponent() {
            @Override
            protected void doStop() throws Exception {
                super.doStop();
                // close the shared connection with the context, so a stopped application holds no consumer
                cached.destroy();
            }
        };
        jms.setConnectionFactory(cached);
        return jms;
    }

    @BindToRegistry("sendRequestValidator")
    public SendRequestValidator sendRequestValidator(@BeanInject("smtpServers") SmtpServers servers) {
        SendRequestValidator validator = new SendRequestValidator(maxRecipients);
        validator.setDefaultFrom(defaultFrom);
        validator.setMaxSubjectLength(maxSubjectLength);
        validator.setMaxAttachmentBytes(maxAttachmentBytes);
        validator.setMaxTotalAttachmentBytes(maxTotalAttachmentBytes);
        validator.setKnownServers(servers.names()::contains);
        return validator;
    }

    @BindToRegistry("mailbusMime")
    public MimeDataFormat mailbusMime() {
        MimeDataFormat mime = new MimeDataFormat();
        mime.setMessageIdDomain(messageIdDomain);
        mime.setDkimDomain(dkimDomain);
        mime.setDkimSelector(dkimSelector);
        mime.setDkimPrivateKey(dkimPrivateKey);
        return mime;
    }

    /** Request ids already delivered (or rejected for good): in memory, or shared through a Kafka topic. */
    /** The named SMTP routes of mailbus.smtp.servers; built once, shared by the validator and the flow. */
    @BindToRegistry("smtpServers")
    public SmtpServers smtpServers(CamelContext context) {
        return SmtpServers.of(smtpServerNames, key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
    }

    @BindToRegistry("deliveredRequests")
    public IdempotentRepository deliveredRequests() {
        if ("kafka".equalsIgnoreCase(idempotencyStore)) {
            return new KafkaIdempotentRepository(idempotencyTopic, kafkaBrokers);
        }
        return MemoryIdempotentRepository.memoryIdempotentRepository(idempotencyCacheSize);
    }

    @BindToRegistry("eventPublisher")
    public EventPublisher eventPublisher(CamelContext context) {
        return new EventPublisher(context, eventsEndpoint);
    }

    @BindToRegistry("outcomes")
    public Outcomes outcomes(@BeanInject("deliveredRequests") IdempotentRepository delivered,
                             @BeanInject("eventPublisher") EventPublisher events) {
        return new Outcomes(new RetryPolicy(retryConnection, retryTransient, retryThrottled), delivered, events);
    }

    @BindToRegistry("apiKeyAuthenticator")
    public ApiKeyAuthenticator apiKeyAuthenticator() {
        return new ApiKeyAuthenticator(apiKeys, apiAuthEnabled);
    }

    @BindToRegistry("idempotencyKeys")
    public IdempotencyKeys idempotencyKeys() {
        return new IdempotencyKeys(httpIdempotencyCacheSize, Duration.ofMillis(TimeUtils.toMilliSeconds(httpIdempotencyTtl)));
    }

    @BindToRegistry("httpErrorResponder")
    public HttpErrorResponder httpErrorResponder() {
        return new HttpErrorResponder();
    }

    @BindToRegistry("queuedResponder")
    public QueuedResponder queuedResponder() {
        return new QueuedResponder();
    }
}
