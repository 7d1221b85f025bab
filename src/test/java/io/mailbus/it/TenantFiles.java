package io.mailbus.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Writes tenants files for the tests: keys as the SHA-256 hex the file holds, replaced atomically as operators should. */
public final class TenantFiles {

    private TenantFiles() {
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code keys:} list of these keys' hashes, indented for a tenant's entry. */
    public static String keys(String... keys) {
        StringBuilder sb = new StringBuilder("    keys:\n");
        for (String k : keys) {
            sb.append("      - sha256: \"").append(sha256(k)).append("\"\n");
        }
        return sb.toString();
    }

    /** Replaces the file by a rename, so the reloader never reads it half written. */
    public static void write(Path file, String content) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), "tenants", ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
