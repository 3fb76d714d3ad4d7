package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A claim check: where an object lies in the object store, and what a reader must find there.
 * Arrays and models never travel in events; references to them do, and every read verifies the
 * size and SHA-256.
 *
 * @param shape the array shape for arrays (N, H, W, C), empty for other objects
 * @param dtype the element type for arrays ("float32"), or the media kind for others ("zip", "json")
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ObjectRef(String bucket, String key, long size, String sha256, int[] shape, String dtype) {

    public ObjectRef {
        shape = shape == null ? new int[0] : shape.clone();
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectRef r && r.bucket.equals(bucket) && r.key.equals(key) && r.size == size
                && r.sha256.equals(sha256) && java.util.Arrays.equals(r.shape, shape)
                && java.util.Objects.equals(r.dtype, dtype);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(bucket, key, size, sha256, java.util.Arrays.hashCode(shape), dtype);
    }

    @Override
    public String toString() {
        return uri() + " (" + size + " bytes, sha256 " + sha256 + ")";
    }
}
