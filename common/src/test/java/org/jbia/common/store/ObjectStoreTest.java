package org.jbia.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.stack.LocalStackProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store against a real S3 server (the local stack's s3proxy). */
class ObjectStoreTest {
    @TempDir
    static Path dir;

    private static LocalStackProcess stack;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        stack = LocalStackProcess.start(dir.resolve("stack"));
        store = new ObjectStore(stack.info().s3Endpoint(), stack.info().s3AccessKey(), stack.info().s3SecretKey());
        store.ensureBucket("jbia");
        store.ensureBucket("jbia"); // a second time is fine
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void writesCarryTheirSizeAndChecksumAndReadsVerifyThem() {
        byte[] bytes = "a model".getBytes(StandardCharsets.UTF_8);
        ObjectRef ref = store.put("jbia", "t/model.zip", bytes, null, "zip");
        assertThat(ref.size()).isEqualTo(bytes.length);
        assertThat(ref.sha256()).isEqualTo(ObjectStore.sha256(bytes));
        assertThat(store.get(ref)).isEqualTo(bytes);
        assertThat(store.stat("jbia", "t/model.zip", null, "zip")).contains(ref);
        assertThat(store.list("jbia", "t/")).contains("t/model.zip");
    }

    @Test
    void aReplacedObjectIsRefusedNamingTheMismatch() {
        ObjectRef ref = store.put("jbia", "t/a.npy", new byte[] {1, 2, 3}, new int[] {3}, "float32");
        store.put("jbia", "t/a.npy", new byte[] {1, 2, 4}, new int[] {3}, "float32");
        assertThatThrownBy(() -> store.get(ref)).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("s3://jbia/t/a.npy has SHA-256").hasMessageContaining(ref.sha256());
        store.put("jbia", "t/a.npy", new byte[] {1, 2}, new int[] {3}, "float32");
        assertThatThrownBy(() -> store.get(ref)).hasMessageContaining("has 2 bytes, the reference says 3");
    }

    @Test
    void missingObjectsAreEmptyNotErrors() {
        assertThat(store.getIfExists("jbia", "t/nothing")).isEmpty();
        assertThat(store.stat("jbia", "t/nothing", null, "zip")).isEmpty();
    }
}
