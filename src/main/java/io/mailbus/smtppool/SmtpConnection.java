package io.mailbus.smtppool;

import jakarta.mail.MessagingException;

/** One pooled SMTP session and the counters the pool's retirement rules look at. */
final class SmtpConnection {

    private final TrackingSmtpTransport transport;
    private final long createdAt = System.nanoTime();
    private volatile long idleSince = createdAt;
    private volatile int messagesSent;

    SmtpConnection(TrackingSmtpTransport transport) {
        this.transport = transport;
    }

    TrackingSmtpTransport transport() {
        return transport;
    }

    int messagesSent() {
        return messagesSent;
    }

    void countMessage() {
        messagesSent++;
    }

    long ageMillis() {
        return (System.nanoTime() - createdAt) / 1_000_000;
    }

    long idleMillis() {
        return idleNanos() / 1_000_000;
    }

    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    void markIdle() {
        idleSince = System.nanoTime();
    }

    /** Sends QUIT without waiting for the answer (mail.smtp.quitwait=false) and closes the socket. */
    void close() {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // the socket is closed either way; a dying server may not take the QUIT
        }
    }
}
