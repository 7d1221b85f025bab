package io.mailbus;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Starts Mailbus: Camel Main with the settings of {@code config/application.properties} (or the file named
 * by {@code MAILBUS_CONFIG}, any setting also from the environment or, for secrets, a file named by
 * {@code MAILBUS_..._FILE}: see {@link SecretFiles}) and the YAML flows of {@code routes/}. Nothing else happens here, so the dev
 * runner and the tests start exactly the application that production runs.
 */
public final class MailbusMain {

    /** The settings file, relative to the working directory unless absolute. */
    public static final String CONFIG_ENV = "MAILBUS_CONFIG";
    static final String DEFAULT_CONFIG = "config/application.properties";

    private MailbusMain() {
    }

    /** {@code json} selects the JSON log layout ({@code log4j2-json.xml}); anything else the one-line text layout. */
    public static final String LOG_FORMAT_ENV = "MAILBUS_LOG_FORMAT";

    public static void main(String[] args) throws Exception {
        chooseLogConfiguration();
        newMain().run(args);
    }

    /**
     * Before the first logger exists: {@code MAILBUS_LOG_FORMAT=json} (or {@code -Dmailbus.log.format=json}) points
     * log4j at the JSON configuration, unless {@code log4j2.configurationFile} names one already.
     */
    static void chooseLogConfiguration() {
        String format = System.getProperty("mailbus.log.format", System.getenv(LOG_FORMAT_ENV));
        if ("json".equalsIgnoreCase(format) && System.getProperty("log4j2.configurationFile") == null
            && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-json.xml");
        }
    }

    /** A configured, not yet started Camel Main; the dev runner adds its overrides before running it. */
    public static Main newMain() {
        // no package scan: the beans come from camel.main.configuration-classes, the flows from routes/
        Main main = new Main() {
            @Override
            protected CamelContext createCamelContext() {
                CamelContext context = super.createCamelContext();
                // before any setting is read: MAILBUS_X_Y_FILE gives mailbus.x.y from a file (SecretFiles)
                context.getPropertiesComponent().addPropertiesSource(new SecretFiles(System.getenv()));
                return context;
            }
        };
        main.setPropertyPlaceholderLocations(propertyLocations());
        return main;
    }

    /** The property placeholder locations: the operator's file, required so a typo in its path fails fast. */
    public static String propertyLocations() {
        String file = System.getenv().getOrDefault(CONFIG_ENV, DEFAULT_CONFIG);
        return "file:" + file;
    }
}
