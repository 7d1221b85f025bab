package io.mailbus;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.mailbus.http.ApiKeyAuthenticator;
import io.mailbus.http.HttpErrorResponder;
import io.mailbus.http.IdempotencyKeys;
import io.mailbus.http.ApiHttpServer;
import io.mailbus.http.QueuedResponder;
import io.mailbus.mime.MimeDataFormat;
import io.mailbus.observe.BrokerHealthCheck;
import io.mailbus.observe.DeliveryLogContext;
import io.mailbus.observe.DeliveryMetrics;
import io.mailbus.observe.QueueDepths;
import io.mailbus.outcome.Attempts;
import io.mailbus.outcome.DeliveredIds;
import io.mailbus.outcome.EventPublisher;
import io.mailbus.outcome.OutcomeQueues;
import io.mailbus.outcome.Outcomes;
import io.mailbus.outcome.RetryPolicy;
import io.mailbus.routing.SmtpServers;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.smtppool.SmtpPoolComponent;
import io.mailbus.smtppool.SmtpPoolMeterBinder;
import io.mailbus.webhook.SettingsWebhookTargets;
import io.mailbus.webhook.WebhookFanout;
import io.mailbus.webhook.WebhookSender;
import io.mailbus.webhook.WebhookTargets;
import io.mailbus.webhook.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
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
    @PropertyInject("mailbus.http.host")
    private String httpHost;
    @PropertyInject("mailbus.http.port")
    private int httpPort;
    @PropertyInject("mailbus.http.max-body-bytes")
    private long maxBodyBytes;
    @PropertyInject(value = "mailbus.bus.max-message-bytes", defaultValue = "10485760")
    private long maxBusMessageBytes;

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
    @PropertyInject(value = "mailbus.limits.max-headers", defaultValue = "100")
    private int maxHeaders;
    @PropertyInject(value = "mailbus.limits.max-attachments", defaultValue = "100")
    private int maxAttachments;
    @PropertyInject(value = "mailbus.limits.max-reply-to", defaultValue = "10")
    private int maxReplyTo;
    @PropertyInject(value = "mailbus.limits.max-tags", defaultValue = "20")
    private int maxTags;
    @PropertyInject(value = "mailbus.limits.max-tag-length", defaultValue = "128")
    private int maxTagLength;
    @PropertyInject(value = "mailbus.limits.max-metadata-keys", defaultValue = "50")
    private int maxMetadataKeys;
    @PropertyInject(value = "mailbus.limits.max-metadata-value-chars", defaultValue = "1024")
    private int maxMetadataValueChars;
    @PropertyInject(value = "mailbus.limits.allow-quoted-local-parts", defaultValue = "false")
    private boolean allowQuotedLocalParts;

    @PropertyInject("mailbus.endpoint.events")
    private String eventsEndpoint;
    @PropertyInject("mailbus.endpoint.invalid")
    private String invalidEndpoint;
    @PropertyInject("mailbus.endpoint.rejected")
    private String rejectedEndpoint;
    @PropertyInject("mailbus.endpoint.dlq")
    private String dlqEndpoint;
    @PropertyInject("mailbus.endpoint.retry")
    private String retryEndpoint;
    @PropertyInject("mailbus.retry.connection")
    private String retryConnection;
    @PropertyInject("mailbus.retry.transient")
    private String retryTransient;
    @PropertyInject("mailbus.retry.throttled")
    private String retryThrottled;
    @PropertyInject(value = "mailbus.retry.max-age", defaultValue = "72h")
    private String retryMaxAge;
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

    @PropertyInject(value = "mailbus.webhooks", defaultValue = "")
    private String webhookNames;
    @PropertyInject(value = "mailbus.webhooks.queue", defaultValue = "jms:queue:email.webhooks")
    private String webhookQueue;
    @PropertyInject(value = "mailbus.webhooks.dlq", defaultValue = "jms:queue:email.webhooks.dlq")
    private String webhookDlq;
    @PropertyInject(value = "mailbus.webhooks.retry", defaultValue = "5s,30s,2m,10m,30m,1h*24")
    private String webhookRetry;
    @PropertyInject(value = "mailbus.webhooks.max-age", defaultValue = "24h")
    private String webhookMaxAge;
    @PropertyInject(value = "mailbus.webhooks.timeout", defaultValue = "10s")
    private String webhookTimeout;
    private WebhookTargets webhookTargets;

    @PropertyInject(value = "mailbus.metrics.queues",
                    defaultValue = "email.send,email.retry,email.dlq,email.rejected,email.invalid")
    private String metricsQueues;
    @PropertyInject(value = "mailbus.metrics.queue-depth-ttl", defaultValue = "15s")
    private String queueDepthTtl;
    private final DeliveryMetrics deliveryMetrics = new DeliveryMetrics();
    private Webhooks webhooks;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the HTTP edge's server: answers 503 until the flows run (and once shutdown begins), never 404
        ApiHttpServer http = new ApiHttpServer(httpHost, httpPort, maxBodyBytes);
        // in the registry, so platform-http's engine finds the server (and its router) by type
        camelContext.getRegistry().bind("mailbusHttpServer", http);
        camelContext.addService(http);
        camelContext.addStartupListener(new PoolMetrics(deliveryMetrics, queueDepths()));
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // readiness = can accept: the broker every accepted request is queued on (a database joins it the
                // same way once there is one); an SMTP server's check is reported but is not readiness
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null && health.getCheck("broker").isEmpty()) {
                    BrokerHealthCheck broker = new BrokerHealthCheck(artemisFactory(), jmsUrl);
                    broker.setCamelContext(context);
                    health.register(broker);
                }
            }
        });
    }

    private QueueDepths queueDepths() {
        return new QueueDepths(artemisFactory(), java.util.Arrays.stream(metricsQueues.split(",")).map(String::trim)
                .filter(q -> !q.isEmpty()).toList(), Duration.ofMillis(TimeUtils.toMilliSeconds(queueDepthTtl)),
                Clock.systemUTC());
    }

    /** A connection factory of its own for management requests and health, apart from the cached one of camel-jms. */
    private ActiveMQConnectionFactory artemisFactory() {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(jmsUrl);
        if (!jmsUsername.isEmpty()) {
            artemis.setUser(jmsUsername);
            artemis.setPassword(jmsPassword);
        }
        artemis.setDeserializationDenyList("*");
        return artemis;
    }

    /** Binds the smtp-pool statistics, delivery metrics and queue depths to the registry /observe/metrics serves. */
    private static final class PoolMetrics implements StartupListener {
        private final DeliveryMetrics delivery;
        private final QueueDepths depths;
        private boolean bound;

        PoolMetrics(DeliveryMetrics delivery, QueueDepths depths) {
            this.delivery = delivery;
            this.depths = depths;
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        }

        @Override
        public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
            if (registry != null && !bound) {
                new SmtpPoolMeterBinder(context.getComponent("smtp-pool", SmtpPoolComponent.class)).bindTo(registry);
                delivery.bindTo(registry);
                depths.bindTo(registry);
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
    public JmsComponent jms(CamelContext context) throws Exception {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(jmsUrl);
        if (!jmsUsername.isEmpty()) {
            artemis.setUser(jmsUsername);
            artemis.setPassword(jmsPassword);
        }
        artemis.setBlockOnDurableSend(true);
        // nothing on the bus is ever deserialised as a Java object: a producer must not run code in this JVM
        artemis.setDeserializationDenyList("*");
        CachingConnectionFactory cached = new CachingConnectionFactory(artemis);
        cached.setSessionCacheSize(16);
        cached.setReconnectOnException(true);
        // the listener containers keep their own consumers (CACHE_CONSUMER); a consumer cached here would
        // outlive its container and hold prefetched messages that nobody processes
        cached.setCacheConsumers(false);
        // a plain JmsComponent, not a subclass: Camel finds the generated configurer by class name, and without it
        // options that live on JmsConfiguration (mapJmsMessage) cannot be set from a URI
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(cached);
        // close the shared connection with the context, so a stopped application holds no consumer
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                cached.destroy();
            }
        }, true, true);
        return jms;
    }

    @BindToRegistry("sendRequestValidator")
    public SendRequestValidator sendRequestValidator(@BeanInject("smtpServers") SmtpServers servers) {
        SendRequestValidator validator = new SendRequestValidator(maxRecipients);
        validator.setDefaultFrom(defaultFrom);
        validator.setMaxSubjectLength(maxSubjectLength);
        validator.setMaxAttachmentBytes(maxAttachmentBytes);
        validator.setMaxTotalAttachmentBytes(maxTotalAttachmentBytes);
        validator.setMaxHeaders(maxHeaders);
        validator.setMaxAttachments(maxAttachments);
        validator.setMaxReplyTo(maxReplyTo);
        validator.setMaxTags(maxTags);
        validator.setMaxTagLength(maxTagLength);
        validator.setMaxMetadataKeys(maxMetadataKeys);
        validator.setMaxMetadataValueChars(maxMetadataValueChars);
        validator.setAllowQuotedLocalParts(allowQuotedLocalParts);
        validator.setKnownServers(servers::knows);
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

    /** The default SMTP server and the named ones of mailbus.smtp.servers; shared by the validator and the flow. */
    @BindToRegistry("smtpServers")
    public SmtpServers smtpServers(CamelContext context) throws Exception {
        SmtpServers servers = SmtpServers.of(smtpServerNames, key -> context.getPropertiesComponent()
                .resolveProperty(key).map(context::resolvePropertyPlaceholders).orElse(null)).startWith(context);
        context.addService(servers, true, true);
        return servers;
    }

    /** Request ids a server accepted: in memory, or shared through a Kafka topic. */
    @BindToRegistry("deliveredRequests")
    public IdempotentRepository deliveredRequests() {
        if ("kafka".equalsIgnoreCase(idempotencyStore)) {
            return new KafkaIdempotentRepository(idempotencyTopic, kafkaBrokers);
        }
        return MemoryIdempotentRepository.memoryIdempotentRepository(idempotencyCacheSize);
    }

    @BindToRegistry("deliveredIds")
    public DeliveredIds deliveredIds(@BeanInject("deliveredRequests") IdempotentRepository delivered) {
        return new DeliveredIds(delivered);
    }

    @BindToRegistry("outcomeQueues")
    public OutcomeQueues outcomeQueues(CamelContext context) {
        return new OutcomeQueues(context, Map.of(OutcomeQueues.Queue.INVALID, invalidEndpoint,
                OutcomeQueues.Queue.REJECTED, rejectedEndpoint, OutcomeQueues.Queue.DLQ, dlqEndpoint,
                OutcomeQueues.Queue.RETRY, retryEndpoint));
    }

    @BindToRegistry("attempts")
    public Attempts attempts(@BeanInject("deliveredIds") DeliveredIds delivered,
                             @BeanInject("eventPublisher") EventPublisher events) {
        return new Attempts(delivered, events, Clock.systemUTC(), maxBusMessageBytes);
    }

    @BindToRegistry("eventPublisher")
    public EventPublisher eventPublisher(CamelContext context) {
        EventPublisher publisher = new EventPublisher(context, eventsEndpoint);
        publisher.setObserver(deliveryMetrics);
        return publisher;
    }

    @BindToRegistry("outcomes")
    public Outcomes outcomes(@BeanInject("deliveredIds") DeliveredIds delivered,
                             @BeanInject("eventPublisher") EventPublisher events,
                             @BeanInject("outcomeQueues") OutcomeQueues queues) {
        RetryPolicy policy = new RetryPolicy(retryConnection, retryTransient, retryThrottled,
                Duration.ofMillis(TimeUtils.toMilliSeconds(retryMaxAge)));
        return new Outcomes(policy, delivered, events, queues, Clock.systemUTC());
    }

    /** Webhook endpoints from mailbus.webhooks.*; the tenants file supplies its own {@link WebhookTargets}. */
    @BindToRegistry("webhookTargets")
    public synchronized WebhookTargets webhookTargets(CamelContext context) {
        if (webhookTargets == null) {
            webhookTargets = SettingsWebhookTargets.of(webhookNames, key -> context.getPropertiesComponent().resolveProperty(key)
                    .map(context::resolvePropertyPlaceholders).orElse(null));
        }
        return webhookTargets;
    }

    @BindToRegistry("webhookFanout")
    public WebhookFanout webhookFanout(CamelContext context) throws Exception {
        return webhooks(context).fanout();
    }

    @BindToRegistry("webhookSender")
    public WebhookSender webhookSender(CamelContext context) throws Exception {
        return webhooks(context).sender();
    }

    /** The two webhook beans share one queue; built once, by whichever of them is bound first. */
    private synchronized Webhooks webhooks(CamelContext context) throws Exception {
        if (webhooks == null) {
            webhooks = new Webhooks(context, webhookTargets(context), webhookQueue, webhookDlq, webhookRetry,
                    Duration.ofMillis(TimeUtils.toMilliSeconds(webhookMaxAge)),
                    Duration.ofMillis(TimeUtils.toMilliSeconds(webhookTimeout)));
        }
        return webhooks;
    }

    @BindToRegistry("deliveryLogContext")
    public DeliveryLogContext deliveryLogContext() {
        return new DeliveryLogContext();
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
