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

    public static void main(String[] args) throws Exception {
        newMain().run(args);
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
