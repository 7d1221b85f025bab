package io.mailbus.mime;

import jakarta.activation.DataSource;

import java.io.IOException;
import java.io.OutputStream;

/** A body the MIME step only reads: its content type and file name fixed, never written to. */
abstract class ReadOnlyDataSource implements DataSource {

    private final String contentType;
    private final String name;

    ReadOnlyDataSource(String contentType, String name) {
        this.contentType = contentType;
        this.name = name;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        throw new IOException("read only");
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getName() {
        return name;
    }
}
