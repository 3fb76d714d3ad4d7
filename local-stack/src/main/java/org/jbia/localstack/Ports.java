package org.jbia.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback ports: finding a free one, and refusing a taken one before a server half-starts on it. */
final class Ports {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {
    }

    /** A port free at this moment; another process could take it before we bind, which is rare enough. */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalStackException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** {@code port}, or a free one when it is 0; throws naming the port when it is taken. */
    static int claim(String what, int port) {
        if (port == 0) {
            return free();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return port;
        } catch (IOException e) {
            throw new LocalStackException(what + " " + port + " on 127.0.0.1 is already in use (" + e.getMessage()
                    + "); choose another port or 0 for a free one");
        }
    }
}
