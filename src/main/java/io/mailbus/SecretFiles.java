package io.mailbus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;

/**
 * Settings from files, the Docker and Kubernetes secrets convention: for any setting {@code mailbus.x.y}, the
 * environment variable {@code MAILBUS_X_Y_FILE=/run/secrets/...} gives its value from that file (one trailing newline
 * dropped), so an SMTP password, a DKIM key, an OAuth client secret or the database password need not sit in the
 * environment or the properties file. The variable's name is made from the setting's as Camel makes {@code MAILBUS_X_Y}
 * (upper case, dots and dashes as underscores), and looked up from the setting, so no name is ever guessed back.
 * Setting both {@code MAILBUS_X_Y} and {@code MAILBUS_X_Y_FILE} is refused at start-up: which one wins would be a
 * surprise either way. The first source Camel asks after the environment; values are never logged (Camel masks the
 * secret-looking keys it prints), and a file that cannot be read fails start-up naming the variable and the path only.
 */
final class SecretFiles implements PropertiesSource, Ordered {

    static final String SUFFIX = "_FILE";

    private final Map<String, String> env;
    private final Map<String, String> read = new ConcurrentHashMap<>();

    SecretFiles(Map<String, String> env) {
        this.env = env;
        for (String name : env.keySet()) {
            if (name.startsWith("MAILBUS_") && name.endsWith(SUFFIX)) {
                String plain = name.substring(0, name.length() - SUFFIX.length());
                if (env.containsKey(plain)) {
                    throw new IllegalStateException(plain + " and " + name + " are both set: give the value one way");
                }
            }
        }
    }

    @Override
    public String getName() {
        return "mailbus-secret-files";
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    @Override
    public String getProperty(String name) {
        if (!name.startsWith("mailbus.")) {
            return null;
        }
        String variable = variableOf(name);
        String path = env.get(variable);
        if (path == null || path.isBlank()) {
            return null;
        }
        return read.computeIfAbsent(variable, v -> {
            try {
                String value = Files.readString(Path.of(path.trim()), StandardCharsets.UTF_8);
                return value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            } catch (IOException e) {
                throw new IllegalStateException(v + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        });
    }

    /** {@code mailbus.smtp.trust-store-password} to {@code MAILBUS_SMTP_TRUST_STORE_PASSWORD_FILE}. */
    static String variableOf(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + SUFFIX;
    }
}
