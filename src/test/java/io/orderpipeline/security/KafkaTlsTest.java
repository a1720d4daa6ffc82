package io.orderpipeline.security;

import java.util.Properties;

import io.orderpipeline.support.SecuredKafka;

/** The pipeline on a broker that speaks TLS only, its certificate checked against the test CA and host name. */
class KafkaTlsTest extends SecuredKafkaPipelineTest {

    @Override
    protected Properties security() {
        return SecuredKafka.get().tls();
    }
}
