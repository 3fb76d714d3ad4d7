package org.jbia.common.stack;

/** The local stack could not be found, started, read or stopped; the message says why and what to do. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
