package org.scrapegrid.embulk.output.pgcopy;

import org.embulk.spi.DataException;

/** A database error, as Embulk reports it on its `Error:` line. */
public final class PgcopyException extends DataException {
    public PgcopyException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
