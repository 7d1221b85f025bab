package io.mailbus.it;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application's main class in a JVM of its own, configured only through {@code MAILBUS_*}
 * environment variables the way an operator configures it, so a test can kill it with SIGKILL.
 */
final class ChildApplication implements AutoCloseable {

    private final Process process;

    private ChildApplication(Process process) {
        this.process = process;
    }

    static ChildApplication start(Map<String, String> env, Path log) throws Exception {
        return start(env, log, "-Xmx256m");
    }

    /** @param heap the JVM's heap option, e.g. {@code -Xmx128m} for a test about what fits in a small heap */
    static ChildApplication start(Map<String, String> env, Path log, String heap, String... jvmOptions)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mailbus.MailbusMain"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the same database on a restart with the same settings, as an operator's instance has
        if (!env.containsKey("MAILBUS_DB_URL")) {
            env.put("MAILBUS_DB_URL", TestBrokers.newDatabase());
        }
        pb.environment().putAll(env);
        return new ChildApplication(pb.start());
    }

    /** SIGKILL: no shutdown hook, no graceful stop, in-flight work simply vanishes from this JVM. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
