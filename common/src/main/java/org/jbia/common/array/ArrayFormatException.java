package org.jbia.common.array;

/** A file that is not a readable image array; the message says what is wrong with it. */
public class ArrayFormatException extends RuntimeException {
    public ArrayFormatException(String message) {
        super(message);
    }

    public ArrayFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
