package org.jbia.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 server (s3proxy) on 127.0.0.1 that keeps buckets as directories and objects as files under
 * one directory, and accepts only requests signed (AWS V4) with the given credentials.
 */
final class S3Server implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final S3Proxy proxy;
    private final String endpoint;

    private S3Server(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    static S3Server start(Path root, int port, String accessKey, String secretKey) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new LocalStackException("the S3 server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        S3Server server = new S3Server(proxy, "http://127.0.0.1:" + proxy.getPort());
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        stopQuietly(proxy);
    }

    /** Any HTTP answer will do (an unsigned request gets 403): it proves the server is serving. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for the S3 server", e);
            }
            sleep(100);
        }
        throw new LocalStackException("the S3 server at " + endpoint + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last));
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopping a server that never fully started can fail; nothing is left to release
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for the S3 server", e);
        }
    }
}
