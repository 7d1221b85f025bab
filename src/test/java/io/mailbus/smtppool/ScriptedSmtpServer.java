package io.mailbus.smtppool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP server on loopback that plays a script: every command gets the default happy reply unless a rule whose
 * prefix matches says otherwise. It records what clients sent, how many connections they opened and how many were
 * open at once, so tests can assert on the server's side of the dialogue.
 * <p>
 * Special replies: {@link #DROP} closes the connection instead of answering; {@link #SILENT} never answers;
 * {@link #DROP_MID_DATA} on DATA answers 354 and closes after the first line of data; {@link #STALL_DATA} on DATA
 * answers 354 and then stops reading, as a stuck server does; {@link #DROP_HANDSHAKE} and {@link #RESET_HANDSHAKE}
 * on STARTTLS answer 220 and then close (or reset) the connection instead of doing the TLS handshake; a reply
 * starting with {@code <delay N>} is sent after N ms. A reply starting with 421 closes the connection after it is
 * sent, as real servers do.
 * <p>
 * Hostile replies: {@code <split>} inside a reply flushes what came before it and pauses briefly, so one reply
 * arrives in several TCP segments; a reply starting with {@code <slow N>} is written one byte every N ms (a
 * slowloris), {@link #slowBytesSent()} counting the bytes the client took before it hung up; {@code <flood N>} writes
 * N bytes of {@code x} without a line end and then holds the connection; {@link #GARBAGE_HANDSHAKE} on STARTTLS answers
 * 220 and then speaks plain text instead of TLS.
 * <p>
 * Limits as Postfix applies them: {@link #recipientLimit(int)} answers {@code 452 4.5.3 Error: too many recipients}
 * to the RCPT TOs of a transaction beyond the limit; {@link #maxConnections(int)} greets every connection beyond
 * that many open ones with {@code 421 4.7.0 ... too many connections from 127.0.0.1} and closes it. Like Postfix, by
 * default it answers RCPT TO after a refused MAIL FROM with {@code 503 5.5.1 Error: need MAIL command} and DATA with no
 * accepted recipient with {@code 554 5.5.1 Error: no valid recipients} (a client in lock-step never sends either; a
 * pipelining one does, RFC 2920).
 * <p>
 * Pipelining (RFC 2920): the default EHLO advertises PIPELINING, and commands are read in order whether they came one
 * by one or in a group. {@link #flights()} records how they arrived: consecutive commands with no reply written
 * between them form one flight. With {@link #holdRepliesUntilData()} the server writes no reply to MAIL FROM and RCPT
 * TO until DATA (or another command) arrives, so a client that pipelines sends its whole group as one flight, and one
 * that does not is left waiting (use it only to prove pipelining).
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public static final String DROP = "<drop>";
    public static final String SILENT = "<silent>";
    public static final String DROP_MID_DATA = "<drop-mid-data>";
    public static final String STALL_DATA = "<stall-data>";
    public static final String DROP_HANDSHAKE = "<drop-handshake>";
    public static final String RESET_HANDSHAKE = "<reset-handshake>";
    public static final String GARBAGE_HANDSHAKE = "<garbage-handshake>";
    static final String TOO_MANY_RECIPIENTS = "452 4.5.3 Error: too many recipients";
    static final String TOO_MANY_CONNECTIONS = "421 4.7.0 stub.test Error: too many connections from 127.0.0.1";
    private static final Pattern DELAY = Pattern.compile("^<delay (\\d+)>");
    private static final Pattern SLOW = Pattern.compile("^<slow (\\d+)>");
    private static final Pattern FLOOD = Pattern.compile("^<flood (\\d+)>");
    private static final String SPLIT = "<split>";

    private record Rule(String prefix, String reply, boolean once) {
    }

    private final ServerSocket server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<List<String>> flights = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<int[]> REPLIES_WRITTEN = ThreadLocal.withInitial(() -> new int[1]);
    private volatile boolean holdReplies;
    private final AtomicInteger dataGoAheads = new AtomicInteger();
    private final List<Long> mailFromTimes = new CopyOnWriteArrayList<>();
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile String greeting = "220 stub.test ESMTP ready";
    private volatile String ehlo = "250-stub.test\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SIZE 10240000";

    private final SSLContext tls;
    private final boolean implicitTls;
    private final AtomicInteger tlsSessions = new AtomicInteger();
    private final AtomicLong dataBytes = new AtomicLong();
    private final List<long[]> digests = new CopyOnWriteArrayList<>();
    private volatile boolean keepMessages = true;
    private volatile int recipientLimit;
    private volatile int maxConnections;
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final AtomicLong slowBytesSent = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);

    public ScriptedSmtpServer() throws IOException {
        this(null, false);
    }

    /** A plain server on {@code port} (loopback): one that comes up where a client was refused before. */
    public ScriptedSmtpServer(int port) throws IOException {
        this(null, false, port);
    }

    /**
     * A server that offers STARTTLS with {@code tls} (when {@code implicitTls} is false) or speaks TLS from the first
     * byte (when true).
     */
    ScriptedSmtpServer(SSLContext tls, boolean implicitTls) throws IOException {
        this(tls, implicitTls, 0);
    }

    private ScriptedSmtpServer(SSLContext tls, boolean implicitTls, int port) throws IOException {
        this.tls = tls;
        this.implicitTls = implicitTls;
        server = implicitTls
                ? tls.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress())
                : new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * An endpoint URI for this server: lazy, short timeouts (the end-of-data one too), and AUTH allowed over its plain
     * loopback connection; {@code options} override them.
     */
    String uri(String options) {
        StringBuilder query = new StringBuilder(options);
        for (String dflt : List.of("lazyStart=true", "readTimeout=5000", "dataEndTimeout=5000", "connectTimeout=2000",
                                     "allowPlaintextAuth=true")) {
            if (!options.contains(dflt.substring(0, dflt.indexOf('=') + 1))) {
                query.append(query.length() == 0 ? "" : "&").append(dflt);
            }
        }
        return "smtp-pool:127.0.0.1:" + port() + "?" + query;
    }

    public ScriptedSmtpServer greeting(String reply) {
        this.greeting = reply;
        return this;
    }

    public ScriptedSmtpServer ehlo(String reply) {
        this.ehlo = reply;
        return this;
    }

    /** Accepts at most {@code n} RCPT TOs per transaction and answers the others {@value #TOO_MANY_RECIPIENTS}. */
    ScriptedSmtpServer recipientLimit(int n) {
        this.recipientLimit = n;
        return this;
    }

    /** Greets connections beyond {@code n} open ones with {@value #TOO_MANY_CONNECTIONS} and closes them. */
    public ScriptedSmtpServer maxConnections(int n) {
        this.maxConnections = n;
        return this;
    }

    /** Connections refused by {@link #maxConnections(int)}. */
    public int refusedConnections() {
        return refusedConnections.get();
    }

    /** Answers every command starting with {@code prefix} (case-insensitive) with {@code reply}. */
    public ScriptedSmtpServer on(String prefix, String reply) {
        rules.add(new Rule(prefix.toUpperCase(Locale.ROOT), reply, false));
        return this;
    }

    /** Like {@link #on} but only for the first matching command. */
    public ScriptedSmtpServer once(String prefix, String reply) {
        rules.add(new Rule(prefix.toUpperCase(Locale.ROOT), reply, true));
        return this;
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The commands of all connections grouped by flight: those that arrived with no reply written between them. */
    List<List<String>> flights() {
        return flights.stream().map(List::copyOf).toList();
    }

    /** How often the server answered DATA with 354, inviting a message body. */
    int dataGoAheads() {
        return dataGoAheads.get();
    }

    /**
     * Advertises CHUNKING (RFC 3030) and takes {@code BDAT <n> [LAST]}: n bytes of message, answered like the end of
     * DATA (a rule for "BDAT" or else for "." decides), refused as Postfix does when MAIL FROM or every RCPT TO was.
     */
    ScriptedSmtpServer chunking() {
        this.ehlo = ehlo.replaceFirst("\\r\\n", "\r\n250-CHUNKING\r\n");
        return this;
    }

    /** Holds the replies to MAIL FROM and RCPT TO until the next other command (DATA) arrives; see the class doc. */
    ScriptedSmtpServer holdRepliesUntilData() {
        this.holdReplies = true;
        return this;
    }

    /** When each MAIL FROM arrived (epoch milliseconds, this server's clock): the server's log of transactions. */
    public List<Long> mailFromTimes() {
        return mailFromTimes;
    }

    public List<byte[]> messages() {
        return List.copyOf(messages);
    }

    /**
     * With false, DATA is not kept in memory (for very large messages): only its un-stuffed size and CRC-32 are
     * recorded, see {@link #digests()}.
     */
    ScriptedSmtpServer keepMessages(boolean keep) {
        this.keepMessages = keep;
        return this;
    }

    /** Per message received while not keeping messages: {size, CRC-32} of the data after dot-unstuffing. */
    List<long[]> digests() {
        return List.copyOf(digests);
    }

    /** Bytes of DATA received so far, over all messages, counted as they arrive. */
    long dataBytes() {
        return dataBytes.get();
    }

    /** How many connections completed a TLS handshake (implicit or after STARTTLS). */
    int tlsSessions() {
        return tlsSessions.get();
    }

    /** Bytes of {@code <slow N>} replies the client received before the reply ended or the client hung up. */
    long slowBytesSent() {
        return slowBytesSent.get();
    }

    public int connections() {
        return connections.get();
    }

    public int openConnections() {
        return open.size();
    }

    int maxConcurrentConnections() {
        return maxConcurrent.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.put(s, Boolean.TRUE);
                boolean tooMany = maxConnections > 0 && open.size() > maxConnections;
                if (tooMany) {
                    refusedConnections.incrementAndGet();
                } else {
                    maxConcurrent.accumulateAndGet(open.size(), Math::max);
                }
                Thread t = new Thread(() -> serve(s, tooMany ? TOO_MANY_CONNECTIONS : greeting),
                                      "scripted-smtp-" + connections.get());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, String firstReply) {
        try (s) {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            if (implicitTls) {
                ((SSLSocket) s).startHandshake();
                tlsSessions.incrementAndGet();
            }
            Socket current = s;
            InputStream in = new BufferedInputStream(current.getInputStream());
            OutputStream out = current.getOutputStream();
            if (!reply(in, out, firstReply)) {
                return;
            }
            boolean secure = implicitTls;
            int rcpts = 0;
            boolean mailAccepted = false;
            int accepted = 0;
            List<String> flight = null;
            int repliesSeen = -1;
            List<String> held = new ArrayList<>();
            ByteArrayOutputStream bdat = new ByteArrayOutputStream();
            for (int guard = 0; guard < 100_000; guard++) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                if (flight == null || REPLIES_WRITTEN.get()[0] != repliesSeen) {
                    flight = new CopyOnWriteArrayList<>();
                    flights.add(flight);
                    repliesSeen = REPLIES_WRITTEN.get()[0];
                }
                flight.add(line);
                if (line.regionMatches(true, 0, "MAIL FROM", 0, 9)) {
                    mailFromTimes.add(System.currentTimeMillis());
                }
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("BDAT")) {
                    String[] parts = line.trim().split("\\s+");
                    int size = parts.length > 1 && parts[1].matches("\\d{1,9}") ? Integer.parseInt(parts[1]) : -1;
                    byte[] chunk = in.readNBytes(Math.max(size, 0));
                    if (size < 0 || chunk.length < size) {
                        return;
                    }
                    dataBytes.addAndGet(size);
                    bdat.writeBytes(chunk);
                    boolean last = parts.length > 2 && parts[2].equalsIgnoreCase("LAST");
                    String ruled = ruleFor(upper);
                    String answer = !mailAccepted ? "503 5.5.1 Error: need MAIL command"
                            : accepted == 0 ? "554 5.5.1 Error: no valid recipients"
                            : ruled != null ? ruled : last ? answerFor(".") : "250 2.0.0 Ok: " + size + " bytes";
                    if (last || !answer.startsWith("2")) {
                        if (last && answer.startsWith("2")) {
                            if (keepMessages) {
                                messages.add(bdat.toByteArray());
                            } else {
                                CRC32 crc = new CRC32();
                                crc.update(bdat.toByteArray());
                                digests.add(new long[] { bdat.size(), crc.getValue() });
                            }
                        }
                        bdat.reset();
                        rcpts = 0;
                        accepted = 0;
                        mailAccepted = false;
                    }
                    for (String owed : held) {
                        if (!reply(in, out, owed)) {
                            return;
                        }
                    }
                    held.clear();
                    if (!reply(in, out, answer)) {
                        return;
                    }
                    continue;
                }
                String answer = ruleFor(upper);
                if (answer == null) {
                    answer = upper.startsWith("RCPT") && !mailAccepted ? "503 5.5.1 Error: need MAIL command"
                            : upper.startsWith("DATA") && !mailAccepted ? "503 5.5.1 Error: need RCPT command"
                            : upper.startsWith("DATA") && accepted == 0 ? "554 5.5.1 Error: no valid recipients"
                            : defaultAnswer(upper);
                }
                if (upper.startsWith("MAIL") || upper.startsWith("RSET")) {
                    rcpts = 0;
                    accepted = 0;
                    mailAccepted = upper.startsWith("MAIL") && answer.startsWith("2");
                } else if (upper.startsWith("RCPT") && recipientLimit > 0 && answer.startsWith("250")) {
                    answer = ++rcpts > recipientLimit ? TOO_MANY_RECIPIENTS : answer;
                }
                if (upper.startsWith("RCPT") && answer.startsWith("2")) {
                    accepted++;
                }
                if (holdReplies && (upper.startsWith("MAIL") || upper.startsWith("RCPT"))) {
                    held.add(answer);
                    continue;
                }
                for (String owed : held) {
                    if (!reply(in, out, owed)) {
                        return;
                    }
                }
                held.clear();
                if (upper.startsWith("STARTTLS") && GARBAGE_HANDSHAKE.equals(answer)) {
                    reply(in, out, "220 2.0.0 Ready to start TLS");
                    in.read(); // the client's hello has begun: answer it in plain text
                    reply(in, out, "250 this is not a TLS record");
                    reply(in, out, SILENT);
                    return;
                }
                if (upper.startsWith("STARTTLS") && (DROP_HANDSHAKE.equals(answer) || RESET_HANDSHAKE.equals(answer))) {
                    reply(in, out, "220 2.0.0 Ready to start TLS");
                    current.setSoLinger(RESET_HANDSHAKE.equals(answer), 0);
                    return;
                }
                if (upper.startsWith("EHLO") && tls != null && !secure && answer.startsWith("250-")) {
                    answer = answer.replaceFirst("\\r\\n", "\r\n250-STARTTLS\r\n");
                } else if (upper.startsWith("STARTTLS") && tls != null && !secure) {
                    if (!reply(in, out, "220 2.0.0 Ready to start TLS")) {
                        return;
                    }
                    SSLSocket upgraded = (SSLSocket) tls.getSocketFactory()
                            .createSocket(current, "127.0.0.1", current.getPort(), true);
                    upgraded.setUseClientMode(false);
                    upgraded.startHandshake();
                    tlsSessions.incrementAndGet();
                    current = upgraded;
                    in = new BufferedInputStream(current.getInputStream());
                    out = current.getOutputStream();
                    secure = true;
                    continue;
                }
                if (upper.startsWith("DATA") && (answer.startsWith("354") || STALL_DATA.equals(answer)
                                                 || DROP_MID_DATA.equals(answer))) {
                    dataGoAheads.incrementAndGet();
                }
                if (upper.startsWith("DATA") && answer.startsWith("354")) {
                    if (!reply(in, out, answer)) {
                        return;
                    }
                    if (!readData(in)) {
                        return;
                    }
                    rcpts = 0;
                    accepted = 0;
                    mailAccepted = false;
                    answer = answerFor(".");
                } else if (upper.startsWith("DATA") && STALL_DATA.equals(answer)) {
                    reply(in, out, "354 go ahead");
                    closed.await(60, TimeUnit.SECONDS); // never reads again: the client's writes fill the buffers
                    return;
                } else if (upper.startsWith("DATA") && DROP_MID_DATA.equals(answer)) {
                    reply(in, out, "354 go ahead");
                    readLine(in);
                    return;
                }
                if (!reply(in, out, answer) || upper.startsWith("QUIT")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the TLS handshake failed; nothing to record
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    private String answerFor(String upper) {
        String ruled = ruleFor(upper);
        return ruled != null ? ruled : defaultAnswer(upper);
    }

    /** The scripted reply to this command, or null when no rule matches. */
    private String ruleFor(String upper) {
        Iterator<Rule> it = rules.iterator();
        while (it.hasNext()) {
            Rule r = it.next();
            if (upper.startsWith(r.prefix())) {
                if (r.once()) {
                    rules.remove(r);
                }
                return r.reply();
            }
        }
        return null;
    }

    private String defaultAnswer(String upper) {
        if (upper.startsWith("EHLO")) {
            return ehlo;
        }
        if (upper.startsWith("MAIL")) {
            return "250 2.1.0 Sender OK";
        }
        if (upper.startsWith("RCPT")) {
            return "250 2.1.5 Recipient OK";
        }
        if (upper.startsWith("DATA")) {
            return "354 End data with <CR><LF>.<CR><LF>";
        }
        if (upper.equals(".")) {
            return "250 2.0.0 Ok: queued as STUB1";
        }
        if (upper.startsWith("QUIT")) {
            return "221 2.0.0 Bye";
        }
        if (upper.startsWith("HELO") || upper.startsWith("RSET") || upper.startsWith("NOOP")) {
            return "250 2.0.0 OK";
        }
        return "502 5.5.2 Command not recognized";
    }

    /** Writes the reply; false when the script says the connection ends here. */
    private boolean reply(InputStream in, OutputStream out, String reply) throws IOException, InterruptedException {
        REPLIES_WRITTEN.get()[0]++;
        Matcher delay = DELAY.matcher(reply);
        if (delay.find()) {
            Thread.sleep(Long.parseLong(delay.group(1))); // the server is slow to answer, on purpose
            reply = reply.substring(delay.end());
        }
        if (DROP.equals(reply)) {
            return false;
        }
        if (SILENT.equals(reply)) {
            // hold the connection without answering until the client gives up and closes it (or 30 s pass)
            while (in.read() >= 0) {
                // discard
            }
            return false;
        }
        Matcher flood = FLOOD.matcher(reply);
        if (flood.find()) {
            byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            for (long left = Long.parseLong(flood.group(1)); left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.flush();
            return reply(in, out, SILENT);
        }
        Matcher slow = SLOW.matcher(reply);
        if (slow.find()) {
            long pause = Long.parseLong(slow.group(1));
            for (byte b : (reply.substring(slow.end()) + "\r\n").getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                slowBytesSent.incrementAndGet();
                Thread.sleep(pause); // a slowloris: each byte keeps the client's read timeout from firing
            }
            return true;
        }
        String[] parts = (reply + "\r\n").split(SPLIT, -1);
        for (int i = 0; i < parts.length; i++) {
            out.write(parts[i].getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (i < parts.length - 1) {
                Thread.sleep(20); // so the next part leaves in a TCP segment of its own
            }
        }
        return !reply.startsWith("421");
    }

    private boolean readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        long size = 0;
        for (int guard = 0; guard < 10_000_000; guard++) {
            String line = readLine(in);
            if (line == null) {
                return false;
            }
            if (line.equals(".")) {
                if (keepMessages) {
                    messages.add(data.toByteArray());
                } else {
                    digests.add(new long[] { size, crc.getValue() });
                }
                return true;
            }
            byte[] bytes = ((line.startsWith("..") ? line.substring(1) : line) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            dataBytes.addAndGet(bytes.length);
            size += bytes.length;
            if (keepMessages) {
                data.writeBytes(bytes);
            } else {
                crc.update(bytes);
            }
        }
        return false;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int prev = -1;
        for (int i = 0; i < 1_000_000; i++) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
            prev = b;
        }
        return null;
    }

    /** Closes every open connection from the server's side, as a server's idle timer would. */
    void dropAllConnections() throws IOException {
        for (Socket s : new ArrayList<>(open.keySet())) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : new ArrayList<>(open.keySet())) {
            s.close();
        }
    }
}
