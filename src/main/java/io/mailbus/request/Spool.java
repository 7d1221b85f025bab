package io.mailbus.request;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of one large request: its JSON as it arrived, its attachments decoded, its JSON as it is put on
 * the next queue. They live in one directory that is deleted when the exchange completes, whatever its outcome, so a
 * request of 100 MB costs disk for as long as it is being handled and a bounded buffer of heap. A JVM that dies
 * mid-way leaves its directory behind ({@code mailbus-spool-*} in {@code java.io.tmpdir}); the broker still has the
 * request, so nothing is lost, only disk.
 */
public final class Spool {

    /** The exchange property holding the exchange's spool once it has one. */
    public static final String PROPERTY = "mailbusSpool";

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final Path dir;
    private int files;

    private Spool(Path dir) {
        this.dir = dir;
    }

    /** The exchange's spool, created on first use and deleted when the exchange completes. */
    public static Spool of(Exchange exchange) {
        Spool spool = exchange.getProperty(PROPERTY, Spool.class);
        if (spool == null) {
            try {
                spool = new Spool(Files.createTempDirectory("mailbus-spool-"));
            } catch (IOException e) {
                throw new SpoolFailedException(Path.of(System.getProperty("java.io.tmpdir")), e);
            }
            exchange.setProperty(PROPERTY, spool);
            Spool created = spool;
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    created.delete();
                }
            });
        }
        return spool;
    }

    /** A new, empty file of the spool. */
    public synchronized Path newFile(String suffix) {
        try {
            return Files.createFile(dir.resolve((++files) + suffix));
        } catch (IOException e) {
            throw new SpoolFailedException(dir, e);
        }
    }

    /**
     * A buffered stream writing {@code file}, whose failures (a full disk) are {@link SpoolFailedException}s, so no
     * reader of the request can take them for a fault of the request.
     */
    public static OutputStream output(Path file) {
        try {
            return new BufferedOutputStream(new FilterOutputStream(Files.newOutputStream(file)) {
                @Override
                public void write(byte[] b, int off, int len) {
                    unchecked(file, () -> out.write(b, off, len));
                }

                @Override
                public void flush() {
                    unchecked(file, out::flush);
                }

                @Override
                public void close() {
                    unchecked(file, out::close);
                }
            }, 64 * 1024);
        } catch (IOException e) {
            throw new SpoolFailedException(file, e);
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void unchecked(Path file, Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new SpoolFailedException(file, e);
        }
    }

    /**
     * A temporary file of a large request could not be written: the machine's fault, not the request's. Nothing is
     * decided about the request: on the bus the consume rolls back (the broker keeps it, see {@code Outcomes}); over
     * HTTP the answer is 500 and nothing was accepted.
     */
    public static final class SpoolFailedException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        public SpoolFailedException(Path where, IOException cause) {
            super("cannot spool a large request to " + where, cause);
        }
    }

    void delete() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the spool {}: {}", dir, e.toString());
        }
    }

    Path dir() {
        return dir;
    }
}
