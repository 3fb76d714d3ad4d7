package org.jbia.localstack;

/** The stack could not start or was given bad settings; the message says what and how to fix it. */
public class LocalStackException extends RuntimeException {
    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
