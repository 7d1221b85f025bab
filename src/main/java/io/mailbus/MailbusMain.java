package io.mailbus;

public final class MailbusMain {
    public static void main(String[] args) throws Exception {
    }
}
