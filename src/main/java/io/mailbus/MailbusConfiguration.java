package io.mailbus;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.mailbus.http.ApiKeyAuthenticator;
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
import io.mailbus.status.StatusStore;
import io.mailbus.db.Database;
import io.mailbus.db.DeliveredIdsTable;
import io.mailbus.db.ExpiredRows;
import io.mailbus.mime.MimeDataFormat;
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
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
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
    private HikariDataSource dataSource;

    @PropertyInject(value = "mailbus.smtp.servers", defaultValue = "")
    private String smtpServerNames;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the HTTP edge's server: answers 503 until the flows run (and once shutdown begins), never 404
        ApiHttpServer http = new ApiHttpServer(httpHost, httpPort, maxBodyBytes);
        // in the registry, so platform-http's engine finds the server (and its router) by type
        camelContext.getRegistry().bind("mailbusHttpServer", http);
        camelContext.addService(http);
        camelContext.addStartupListener(new PoolMetrics());
        if (usesDatabase()) {
            dataSource(camelContext);
        }
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

    /**
     * Request ids a server accepted: in PostgreSQL (shared by every instance, kept for
     * mailbus.idempotency.retention), or this instance's memory.
     */
    @BindToRegistry("deliveredRequests")
    public IdempotentRepository deliveredRequests(CamelContext context) throws Exception {
        if (!usesDatabase()) {
            return MemoryIdempotentRepository.memoryIdempotentRepository(idempotencyCacheSize);
        }
        JdbcMessageIdRepository repository = DeliveredIdsTable.repository(dataSource(context));
        context.addService(repository, true, true);
        return repository;
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
        return new EventPublisher(context, eventsEndpoint);
    }

    @BindToRegistry("outcomes")
    public Outcomes outcomes(@BeanInject("deliveredIds") DeliveredIds delivered,
                             @BeanInject("eventPublisher") EventPublisher events,
                             @BeanInject("outcomeQueues") OutcomeQueues queues) {
        RetryPolicy policy = new RetryPolicy(retryConnection, retryTransient, retryThrottled,
                Duration.ofMillis(TimeUtils.toMilliSeconds(retryMaxAge)));
        return new Outcomes(policy, delivered, events, queues, Clock.systemUTC());
    }

    @BindToRegistry("apiKeyAuthenticator")
    public ApiKeyAuthenticator apiKeyAuthenticator() {
        return new ApiKeyAuthenticator(apiKeys, apiAuthEnabled);
    }

    @BindToRegistry("idempotencyKeys")
    public IdempotencyKeys idempotencyKeys(CamelContext context) throws Exception {
        IdempotencyStore store = usesDatabase() ? IdempotencyStore.postgres(dataSource(context))
                : IdempotencyStore.inMemory(httpIdempotencyCacheSize);
        return new IdempotencyKeys(store, duration(httpIdempotencyTtl), Clock.systemUTC());
    }

    /** Message status in PostgreSQL; without a database nothing is recorded and every lookup is 404. */
    @BindToRegistry("messageStatus")
    public MessageStatus messageStatus(CamelContext context) throws Exception {
        return new MessageStatus(usesDatabase() ? StatusStore.postgres(dataSource(context)) : StatusStore.none());
    }

    @BindToRegistry("messageStatusResponder")
    public MessageStatusResponder messageStatusResponder(@BeanInject("messageStatus") MessageStatus status) {
        return new MessageStatusResponder(status);
    }

    /** Each tenant's hard-bounced addresses; without a database none. */
    @BindToRegistry("suppressionList")
    public SuppressionList suppressionList(CamelContext context) throws Exception {
        return usesDatabase() ? SuppressionList.postgres(dataSource(context)) : SuppressionList.none();
    }

    @BindToRegistry("bounceRecorder")
    public BounceRecorder bounceRecorder(@BeanInject("suppressionList") SuppressionList list) {
        return new BounceRecorder(list);
    }

    @BindToRegistry("suppressedRecipients")
    public SuppressedRecipients suppressedRecipients(@BeanInject("suppressionList") SuppressionList list,
                                                     @BeanInject("eventPublisher") EventPublisher events,
                                                     @BeanInject("outcomeQueues") OutcomeQueues queues) {
        return new SuppressedRecipients(list, events, queues);
    }

    @BindToRegistry("suppressionsResponder")
    public SuppressionsResponder suppressionsResponder(@BeanInject("suppressionList") SuppressionList list) {
        return new SuppressionsResponder(list);
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
