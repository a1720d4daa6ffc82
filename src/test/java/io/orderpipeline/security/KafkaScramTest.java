package io.orderpipeline.security;

import java.util.Properties;

import io.orderpipeline.support.SecuredKafka;

/** The pipeline on a broker that takes SCRAM-SHA-256 logins only (SASL_PLAINTEXT). */
class KafkaScramTest extends SecuredKafkaPipelineTest {

    @Override
    protected Properties security() {
        return SecuredKafka.get().scram(SecuredKafka.PASSWORD);
    }
}
