package org.jbia.common.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbia.common.schema.ObjectRef;

/**
 * The object store every service uses (MinIO, s3proxy or any S3), over minio-java. Every write
 * records the size and SHA-256 (also as object metadata); every read verifies both, so a damaged
 * or replaced object is never used silently.
 */
public final class ObjectStore implements AutoCloseable {
    private static final String SHA_META = "sha256";

    private final MinioClient client;
    private final okhttp3.OkHttpClient http;

    public ObjectStore(String endpoint, String accessKey, String secretKey) {
        // Our own OkHttp client, so close() can stop its non-daemon threads (they keep a JVM alive).
        this.http = new okhttp3.OkHttpClient.Builder()
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .readTimeout(java.time.Duration.ofMinutes(5))
                .writeTimeout(java.time.Duration.ofMinutes(5))
                .build();
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region("us-east-1")
                .httpClient(http).build();
    }

    public void ensureBucket(String bucket) {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        }, "create bucket " + bucket);
    }

    /** Writes {@code bytes} at bucket/key and returns the reference a reader will verify against. */
    public ObjectRef put(String bucket, String key, byte[] bytes, int[] shape, String dtype) {
        String sha = sha256(bytes);
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                .userMetadata(Map.of(SHA_META, sha)).build()), "write s3://" + bucket + "/" + key);
        return new ObjectRef(bucket, key, bytes.length, sha, shape, dtype);
    }

    /** Reads the object and checks its size and SHA-256 against the reference. */
    public byte[] get(ObjectRef ref) {
        byte[] bytes = call(() -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).build())) {
                return in.readAllBytes();
            }
        }, "read " + ref.uri());
        if (bytes.length != ref.size()) {
            throw new ObjectStoreException(ref.uri() + " has " + bytes.length + " bytes, the reference says " + ref.size());
        }
        String sha = sha256(bytes);
        if (!sha.equals(ref.sha256())) {
            throw new ObjectStoreException(ref.uri() + " has SHA-256 " + sha + ", the reference says " + ref.sha256());
        }
        return bytes;
    }

    /** Reads an object whose reference is not known (job records, listings). */
    public Optional<byte[]> getIfExists(String bucket, String key) {
        return call(() -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<byte[]>empty();
                }
                throw e;
            }
        }, "read s3://" + bucket + "/" + key);
    }

    /** The reference of an existing object, rebuilt from its stored metadata; empty if absent. */
    public Optional<ObjectRef> stat(String bucket, String key, int[] shape, String dtype) {
        return call(() -> {
            try {
                StatObjectResponse st = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                var values = st.userMetadata().get(SHA_META);
                String sha = values == null || values.isEmpty() ? null : values.iterator().next();
                if (sha == null) {
                    return Optional.<ObjectRef>empty();
                }
                return Optional.of(new ObjectRef(bucket, key, st.size(), sha, shape, dtype));
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<ObjectRef>empty();
                }
                throw e;
            }
        }, "stat s3://" + bucket + "/" + key);
    }

    /** Keys under {@code prefix}, recursively. */
    public List<String> list(String bucket, String prefix) {
        return call(() -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(r.get().objectName());
            }
            return keys;
        }, "list s3://" + bucket + "/" + prefix);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NoSuchBucket".equals(code);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private interface S3Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(S3Call<T> action, String what) {
        try {
            return action.run();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException("cannot " + what + ": " + e, e);
        }
    }
}
