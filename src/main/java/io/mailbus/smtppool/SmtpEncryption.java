package io.mailbus.smtppool;

/** How a connection is secured; package-private because the URI spells it as a lower-case string. */
enum SmtpEncryption {
    NONE, STARTTLS, SSL
}
