package org.jbia.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jbia.common.store.ObjectStore;

/** The object store, from {@code bia.s3.*} (BIA_S3_ENDPOINT, BIA_S3_ACCESS_KEY, BIA_S3_SECRET_KEY). */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(@ConfigProperty(name = "bia.s3.endpoint") String endpoint,
                            @ConfigProperty(name = "bia.s3.access-key") String accessKey,
                            @ConfigProperty(name = "bia.s3.secret-key") String secretKey) {
        return new ObjectStore(endpoint, accessKey, secretKey);
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }
}
