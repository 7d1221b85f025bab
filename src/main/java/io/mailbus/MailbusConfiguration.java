package io.mailbus;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.mailbus.http.ApiKeyAuthenticator;
import io.mailbus.http.BatchResponder;
import io.mailbus.http.CancelResponder;
import io.mailbus.http.HttpErrorResponder;
import io.mailbus.http.IdempotencyKeys;
import io.mailbus.http.IdempotencyStore;
import io.mailbus.http.ApiHttpServer;
import io.mailbus.http.MessageStatusResponder;
import io.mailbus.http.QueuedResponder;
import io.mailbus.http.SuppressionsResponder;
import io.mailbus.outcome.SuppressedRecipients;
import io.mailbus.suppression.BounceRecorder;
import io.mailbus.suppression.SuppressionList;
import io.mailbus.status.MessageStatus;
import io.mailbus.status.StatusRecorder;
import io.mailbus.status.StatusStore;
import io.mailbus.db.Database;
import io.mailbus.db.DeliveredIdsTable;
import io.mailbus.db.ExpiredRows;
import io.mailbus.mime.MimeDataFormat;
import io.mailbus.observe.BrokerHealthCheck;
import io.mailbus.observe.DatabaseHealthCheck;
import io.mailbus.observe.DeliveryLogContext;
import io.mailbus.observe.DeliveryMetrics;
import io.mailbus.observe.QueueDepths;
import io.mailbus.outcome.ArtemisQueueManagement;
import io.mailbus.outcome.Attempts;
import io.mailbus.outcome.Batches;
import io.mailbus.outcome.DeliveredIds;
import io.mailbus.outcome.EventPublisher;
import io.mailbus.outcome.OutcomeQueues;
import io.mailbus.outcome.Outcomes;
import io.mailbus.outcome.RetryPolicy;
import io.mailbus.routing.ServerGuards;
import io.mailbus.outcome.ScheduledSends;
import io.mailbus.routing.SmtpServers;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.smtppool.SmtpPoolComponent;
import io.mailbus.template.MustacheTemplates;
import io.mailbus.smtppool.SmtpPoolMeterBinder;
import io.mailbus.tenant.TenantPolicy;
import io.mailbus.tenant.Tenants;
import io.mailbus.tenant.TenantsHealthCheck;
import io.mailbus.webhook.SettingsWebhookTargets;
import io.mailbus.webhook.TenantWebhookTargets;
import io.mailbus.webhook.WebhookFanout;
import io.mailbus.webhook.WebhookSender;
import io.mailbus.webhook.WebhookTargets;
import io.mailbus.webhook.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;

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
    @PropertyInject(value = "mailbus.endpoint.scheduled", defaultValue = "jms:queue:email.scheduled")
    private String scheduledEndpoint;
    @PropertyInject(value = "mailbus.jms.scheduled-queue", defaultValue = "email.scheduled")
    private String scheduledQueue;
    @PropertyInject(value = "mailbus.jms.management-address", defaultValue = "activemq.management")
    private String managementAddress;
    @PropertyInject(value = "mailbus.schedule.max-horizon", defaultValue = "30d")
    private String scheduleMaxHorizon;
    @PropertyInject(value = "mailbus.batch.max-messages", defaultValue = "500")
    private int batchMaxMessages;
    @PropertyInject("mailbus.endpoint.send")
    private String sendEndpoint;
    @PropertyInject(value = "mailbus.templates.dir", defaultValue = "templates")
    private String templatesDir;
    @PropertyInject(value = "mailbus.limits.max-personalizations", defaultValue = "500")
    private int maxPersonalizations;
    @PropertyInject("mailbus.retry.connection")
    private String retryConnection;
    @PropertyInject("mailbus.retry.transient")
    private String retryTransient;
    @PropertyInject("mailbus.retry.throttled")
    private String retryThrottled;
    @PropertyInject(value = "mailbus.retry.max-age", defaultValue = "72h")
    private String retryMaxAge;
    @PropertyInject(value = "mailbus.idempotency.store", defaultValue = "postgresql")
    private String idempotencyStore;
    @PropertyInject(value = "mailbus.idempotency.cache-size", defaultValue = "100000")
    private int idempotencyCacheSize;
    @PropertyInject(value = "mailbus.idempotency.retention", defaultValue = "30d")
    private String idempotencyRetention;

    @PropertyInject(value = "mailbus.db.url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/mailbus")
    private String dbUrl;
    @PropertyInject(value = "mailbus.db.username", defaultValue = "")
    private String dbUsername;
    @PropertyInject(value = "mailbus.db.password", defaultValue = "")
    private String dbPassword;
    @PropertyInject(value = "mailbus.db.password-file", defaultValue = "")
    private String dbPasswordFile;
    @PropertyInject(value = "mailbus.db.pool-size", defaultValue = "10")
    private int dbPoolSize;
    @PropertyInject(value = "mailbus.db.cleanup-interval", defaultValue = "10m")
    private String dbCleanupInterval;
    @PropertyInject(value = "mailbus.status.retention", defaultValue = "30d")
    private String statusRetention;
    @PropertyInject(value = "mailbus.jms.events-topic", defaultValue = "email.events")
    private String eventsTopic;
    @PropertyInject(value = "mailbus.status.subscription", defaultValue = "mailbus-status")
    private String statusSubscription;
    @PropertyInject(value = "mailbus.status.consumers", defaultValue = "2")
    private int statusConsumers;
    @PropertyInject(value = "mailbus.status.batch-size", defaultValue = "200")
    private int statusBatchSize;
    private HikariDataSource dataSource;

    @PropertyInject(value = "mailbus.smtp.servers", defaultValue = "")
    private String smtpServerNames;
    private ServerGuards serverGuards;

    @PropertyInject(value = "mailbus.tenants.file", defaultValue = "")
    private String tenantsFile;
    @PropertyInject(value = "mailbus.tenants.reload-interval", defaultValue = "1s")
    private String tenantsReloadInterval;

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

    @PropertyInject(value = "mailbus.metrics.queues",
                    defaultValue = "email.send,email.retry,email.dlq,email.rejected,email.invalid")
    private String metricsQueues;
    @PropertyInject(value = "mailbus.metrics.queue-depth-ttl", defaultValue = "15s")
    private String queueDepthTtl;
    private final DeliveryMetrics deliveryMetrics = new DeliveryMetrics();
    private Webhooks webhooks;
    private final Map<String, Object> shared = new HashMap<>();

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the HTTP edge's server: answers 503 until the flows run (and once shutdown begins), never 404
        ApiHttpServer http = new ApiHttpServer(httpHost, httpPort, maxBodyBytes);
        // in the registry, so platform-http's engine finds the server (and its router) by type
        camelContext.getRegistry().bind("mailbusHttpServer", http);
        camelContext.addService(http);
        camelContext.addStartupListener(new PoolMetrics(deliveryMetrics, queueDepths()));
        // readiness = can accept: the broker every accepted request is queued on and the database, when one is used;
        // an SMTP server's check is reported but is not readiness
        registerOnStart(camelContext, new BrokerHealthCheck(artemis(), jmsUrl));
        if (usesDatabase()) {
            registerOnStart(camelContext, new DatabaseHealthCheck(dataSource(camelContext)));
        }
    }

    /** Adds a health check once the context has started (its registry exists by then), unless one has its id. */
    private static void registerOnStart(CamelContext context, HealthCheck check) throws Exception {
        if (check instanceof CamelContextAware aware) {
            aware.setCamelContext(context);
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
                HealthCheckRegistry registry = HealthCheckRegistry.get(c);
                if (registry != null && registry.getCheck(check.getId()).isEmpty()) {
                    registry.register(check);
                }
            }
        });
    }

    private boolean usesDatabase() {
        if ("memory".equalsIgnoreCase(idempotencyStore)) {
            return false;
        }
        if (!"postgresql".equalsIgnoreCase(idempotencyStore)) {
            throw new IllegalArgumentException("mailbus.idempotency.store must be postgresql or memory, not "
                                               + idempotencyStore);
        }
        return true;
    }

    /**
     * The one PostgreSQL pool (migrated by Flyway when opened), bound as {@code mailbusDataSource}, with the cleanup
     * of expired rows; both closed with the context.
     */
    private synchronized DataSource dataSource(CamelContext context) throws Exception {
        if (dataSource == null) {
            HikariDataSource ds = Database.open(dbUrl, dbUsername, Database.password(dbPassword, dbPasswordFile),
                    dbPoolSize);
            context.getRegistry().bind("mailbusDataSource", ds);
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    ds.close();
                }
            }, true, true);
            ExpiredRows expired = new ExpiredRows(context, ds, duration(dbCleanupInterval), Clock.systemUTC())
                    .expire("camel_messageprocessed", "createdAt", duration(idempotencyRetention))
                    .expire("http_idempotency_keys", "created_at", duration(httpIdempotencyTtl))
                    .expire("message_events", "recorded_at", duration(statusRetention))
                    .expire("message_owners", "created_at", duration(statusRetention));
            context.addService(expired, true, true);
            dataSource = ds;
        }
        return dataSource;
    }

    private static Duration duration(String text) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text));
    }

    private QueueDepths queueDepths() {
        return new QueueDepths(artemis(), java.util.Arrays.stream(metricsQueues.split(",")).map(String::trim)
                .filter(q -> !q.isEmpty()).toList(), Duration.ofMillis(TimeUtils.toMilliSeconds(queueDepthTtl)),
                Clock.systemUTC());
    }

    /** A setting's value by its full key, placeholders resolved; null when unset (for settings named at run time). */
    private static Function<String, String> settings(CamelContext context) {
        return key -> context.getPropertiesComponent().resolveProperty(key).map(context::resolvePropertyPlaceholders)
                .orElse(null);
    }

    /**
     * A connection factory on the broker with Mailbus's credentials. Nothing on the bus is ever deserialised as a Java
     * object: a producer must not run code in this JVM. Each user (camel-jms, management requests, health) takes its
     * own, apart from the cached one of camel-jms.
     */
    private ActiveMQConnectionFactory artemis() {
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
     * Beans that other beans use are built here once and shared: Camel calls the {@code @BindToRegistry} methods in
     * the order reflection lists them (not the file's) and may call one twice, so a {@code @BeanInject} parameter
     * can name a bean not bound yet, and a service could be built and started twice.
     */
    @SuppressWarnings("unchecked")
    private synchronized <T> T once(String name, Callable<T> build) throws Exception {
        Object bean = shared.get(name);
        if (bean == null) {
            bean = build.call();
            shared.put(name, bean);
        }
        return (T) bean;
    }

    /**
     * camel-jms over one cached Artemis connection: JmsTemplate would otherwise open a connection per send.
     * Artemis blocks a persistent send until the broker has journalled it, which is what lets the HTTP edge
     * answer 202 only for a durably queued request.
     */
    @BindToRegistry("jms")
    public JmsComponent jms(CamelContext context) throws Exception {
        CachingConnectionFactory cached = jmsConnectionFactory();
        cached.setSessionCacheSize(16);
        cached.setReconnectOnException(true);
        // the listener containers keep their own consumers (CACHE_CONSUMER); a consumer cached here would
        // outlive its container and hold prefetched messages that nobody processes
        cached.setCacheConsumers(false);
        // a plain JmsComponent, not a subclass: Camel finds the generated configurer by class name, and without it
        // options that live on JmsConfiguration (mapJmsMessage) cannot be set from a URI
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(cached);
        // a stream or file body (a large request) goes as a bytes message Artemis reads from the stream in chunks
        // (JMS_AMQ_InputStream), a large message, instead of one array
        jms.setArtemisStreamingEnabled(true);
        // close the shared connection with the context, so a stopped application holds no consumer
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                cached.destroy();
            }
        }, true, true);
        return jms;
    }

    /** The one cached Artemis connection of the jms component, which the Kafka ingress's transaction must share. */
    private CachingConnectionFactory jmsConnectionFactory() throws Exception {
        return once("jmsConnectionFactory", () -> {
            ActiveMQConnectionFactory artemis = artemis();
            artemis.setBlockOnDurableSend(true);
            return new CachingConnectionFactory(artemis);
        });
    }

    /**
     * The Kafka ingress's local JMS transaction: a record's outcome sends and status events (the jms component's
     * sends on that thread join it) commit together, once, before the record's offset is committed. Without it each
     * was a send of its own that waited for the broker's disk: two or three syncs per record, on the one thread a
     * partition has.
     */
    @BindToRegistry("kafkaOutcomeTransaction")
    public SpringTransactionPolicy kafkaOutcomeTransaction() throws Exception {
        return once("kafkaOutcomeTransaction", () -> {
            SpringTransactionPolicy policy = new SpringTransactionPolicy(
                    new JmsTransactionManager(jmsConnectionFactory()));
            policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
            return policy;
        });
    }

    /** Scheduled sends: parked on mailbus.endpoint.scheduled, cancelled through Artemis management. */
    @BindToRegistry("scheduledSends")
    public ScheduledSends scheduledSends(CamelContext context) throws Exception {
        return once("scheduledSends", () -> {
            return new ScheduledSends(outcomeQueues(context), eventPublisher(context),
                    new ArtemisQueueManagement(artemis(), managementAddress), scheduledQueue,
                    deliveredRequests(context), Clock.systemUTC());
        });
    }

    @BindToRegistry("cancelResponder")
    public CancelResponder cancelResponder(CamelContext context) throws Exception {
        return new CancelResponder(scheduledSends(context));
    }

    /** Batch submit: over HTTP (batchResponder) and on the bus (the delivery flow's first step). */
    @BindToRegistry("batches")
    public Batches batches(CamelContext context) throws Exception {
        return once("batches", () -> {
            Batches batches = new Batches(sendRequestValidator(context), scheduledSends(context),
                    outcomeQueues(context), eventPublisher(context), batchMaxMessages);
            batches.setTenantPolicy(tenantPolicy(context));
            return batches;
        });
    }

    @BindToRegistry("batchResponder")
    public BatchResponder batchResponder(CamelContext context) throws Exception {
        return new BatchResponder(batches(context));
    }

    @BindToRegistry("sendRequestValidator")
    public SendRequestValidator sendRequestValidator(CamelContext context) throws Exception {
        return once("sendRequestValidator", () -> newValidator(context));
    }

    private SendRequestValidator newValidator(CamelContext context) throws Exception {
        SmtpServers servers = smtpServers(context);
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
        validator.setTemplates(new MustacheTemplates(java.nio.file.Path.of(templatesDir)));
        validator.setMaxPersonalizations(maxPersonalizations);
        validator.setMaxScheduleHorizon(Duration.ofMillis(TimeUtils.toMilliSeconds(scheduleMaxHorizon)));
        return validator;
    }

    @BindToRegistry("mailbusMime")
    public MimeDataFormat mailbusMime(CamelContext context) throws Exception {
        MimeDataFormat mime = new MimeDataFormat();
        mime.setTenantDkim(tenants(context)::dkimOf);
        mime.setMessageIdDomain(messageIdDomain);
        mime.setDkimDomain(dkimDomain);
        mime.setDkimSelector(dkimSelector);
        mime.setDkimPrivateKey(dkimPrivateKey);
        return mime;
    }

    /** The default SMTP server and the named ones of mailbus.smtp.servers; shared by the validator and the flow. */
    @BindToRegistry("smtpServers")
    public SmtpServers smtpServers(CamelContext context) throws Exception {
        return once("smtpServers", () -> {
            SmtpServers servers = SmtpServers.of(smtpServerNames, settings(context)).startWith(context);
            context.addService(servers, true, true);
            return servers;
        });
    }

    /**
     * The tenants file, reloaded while running; without one (the file of mailbus.tenants.file missing) tenants are
     * off and the HTTP edge takes mailbus.api.keys.
     */
    @BindToRegistry("tenants")
    public Tenants tenants(CamelContext context) throws Exception {
        return once("tenants", () -> newTenants(context, smtpServers(context)));
    }

    private Tenants newTenants(CamelContext context, SmtpServers servers) throws Exception {
        Tenants tenants = new Tenants(tenantsFile.isBlank() ? null : Path.of(tenantsFile),
                Duration.ofMillis(TimeUtils.toMilliSeconds(tenantsReloadInterval)), servers::knows);
        context.addService(tenants, true, true);
        registerOnStart(context, new TenantsHealthCheck(tenants));
        return tenants;
    }

    @BindToRegistry("tenantPolicy")
    public TenantPolicy tenantPolicy(CamelContext context) throws Exception {
        return new TenantPolicy(tenants(context));
    }

    /** Each server's rate limits, circuit and fallback (mailbus.smtp.server.<name>.*), asked before each send. */
    @BindToRegistry("serverGuards")
    public ServerGuards serverGuards(CamelContext context) throws Exception {
        // one instance whoever asks first (the outcomes bean uses it too): the route, the outcomes and the health
        // checks must all see the same circuits
        return once("serverGuards", () -> {
            ServerGuards guards = ServerGuards.of(smtpServers(context), settings(context), Clock.systemUTC());
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                guards.healthChecks().forEach(registry::register);
            }
            return guards;
        });
    }

    /**
     * Request ids a server accepted: in PostgreSQL (shared by every instance, kept for
     * mailbus.idempotency.retention), or this instance's memory.
     */
    @BindToRegistry("deliveredRequests")
    public IdempotentRepository deliveredRequests(CamelContext context) throws Exception {
        return once("deliveredRequests", () -> {
            if (!usesDatabase()) {
                return MemoryIdempotentRepository.memoryIdempotentRepository(idempotencyCacheSize);
            }
            JdbcMessageIdRepository repository = DeliveredIdsTable.repository(dataSource(context));
            context.addService(repository, true, true);
            return repository;
        });
    }

    @BindToRegistry("deliveredIds")
    public DeliveredIds deliveredIds(CamelContext context) throws Exception {
        return once("deliveredIds", () -> new DeliveredIds(deliveredRequests(context)));
    }

    @BindToRegistry("outcomeQueues")
    public OutcomeQueues outcomeQueues(CamelContext context) throws Exception {
        return once("outcomeQueues", () -> new OutcomeQueues(context, Map.of(OutcomeQueues.Queue.INVALID,
                invalidEndpoint, OutcomeQueues.Queue.REJECTED, rejectedEndpoint, OutcomeQueues.Queue.DLQ, dlqEndpoint,
                OutcomeQueues.Queue.RETRY, retryEndpoint, OutcomeQueues.Queue.SCHEDULED, scheduledEndpoint,
                OutcomeQueues.Queue.SEND, sendEndpoint)));
    }

    @BindToRegistry("attempts")
    public Attempts attempts(CamelContext context) throws Exception {
        Attempts attempts = new Attempts(deliveredIds(context), eventPublisher(context), Clock.systemUTC(),
                maxBusMessageBytes);
        attempts.setTenants(tenants(context));
        return attempts;
    }

    @BindToRegistry("eventPublisher")
    public EventPublisher eventPublisher(CamelContext context) throws Exception {
        return once("eventPublisher", () -> {
            EventPublisher publisher = new EventPublisher(context, eventsEndpoint);
            publisher.setObserver(deliveryMetrics);
            return publisher;
        });
    }

    @BindToRegistry("outcomes")
    public Outcomes outcomes(CamelContext context) throws Exception {
        RetryPolicy policy = new RetryPolicy(retryConnection, retryTransient, retryThrottled,
                Duration.ofMillis(TimeUtils.toMilliSeconds(retryMaxAge)));
        Outcomes outcomes = new Outcomes(policy, deliveredIds(context), eventPublisher(context),
                outcomeQueues(context), Clock.systemUTC());
        outcomes.setObserver(serverGuards(context)); // each attempt's end, for the servers' circuits
        return outcomes;
    }

    /** Webhook endpoints from mailbus.webhooks.* and, for each tenant, its own from the tenants file. */
    @BindToRegistry("webhookTargets")
    public WebhookTargets webhookTargets(CamelContext context) throws Exception {
        return once("webhookTargets", () -> new TenantWebhookTargets(
                SettingsWebhookTargets.of(webhookNames, settings(context)), tenants(context)));
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
    public ApiKeyAuthenticator apiKeyAuthenticator(CamelContext context) throws Exception {
        return new ApiKeyAuthenticator(apiKeys, apiAuthEnabled, tenants(context));
    }

    @BindToRegistry("idempotencyKeys")
    public IdempotencyKeys idempotencyKeys(CamelContext context) throws Exception {
        IdempotencyStore store = usesDatabase() ? IdempotencyStore.postgres(dataSource(context))
                : IdempotencyStore.inMemory(httpIdempotencyCacheSize);
        return new IdempotencyKeys(store, duration(httpIdempotencyTtl), Clock.systemUTC());
    }

    /**
     * Message status in PostgreSQL, and its recorder, started here, before any route, so that its subscription
     * exists before the first event of this run; without a database nothing is recorded and every lookup is 404.
     */
    @BindToRegistry("messageStatus")
    public MessageStatus messageStatus(CamelContext context) throws Exception {
        return once("messageStatus", () -> {
            if (!usesDatabase()) {
                return new MessageStatus(StatusStore.none());
            }
            MessageStatus status = new MessageStatus(StatusStore.postgres(dataSource(context)));
            if (statusConsumers == 0) {
                // recording off: lookups find no events (404), and hard bounces are not suppressed automatically
                StatusRecorder.unsubscribe(artemis(), statusSubscription);
                return status;
            }
            BounceRecorder bounces = new BounceRecorder(suppressionList(context));
            context.addService(new StatusRecorder(artemis(), eventsTopic, statusSubscription, statusConsumers,
                    statusBatchSize, status.store(), event -> bounces.fromEvent(event.tree())), true, true);
            return status;
        });
    }

    @BindToRegistry("messageStatusResponder")
    public MessageStatusResponder messageStatusResponder(CamelContext context) throws Exception {
        return new MessageStatusResponder(messageStatus(context));
    }

    /** Each tenant's hard-bounced addresses; without a database none. */
    @BindToRegistry("suppressionList")
    public SuppressionList suppressionList(CamelContext context) throws Exception {
        return once("suppressionList", () -> usesDatabase() ? SuppressionList.postgres(dataSource(context))
                : SuppressionList.none());
    }

    @BindToRegistry("suppressedRecipients")
    public SuppressedRecipients suppressedRecipients(CamelContext context) throws Exception {
        return new SuppressedRecipients(suppressionList(context), eventPublisher(context), outcomeQueues(context));
    }

    @BindToRegistry("suppressionsResponder")
    public SuppressionsResponder suppressionsResponder(CamelContext context) throws Exception {
        return new SuppressionsResponder(suppressionList(context));
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
