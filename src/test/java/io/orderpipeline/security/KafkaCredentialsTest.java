package io.orderpipeline.security;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.orderpipeline.platform.kafka.KafkaClients;
import io.orderpipeline.platform.kafka.TopicProvisioner;
import io.orderpipeline.support.SecuredKafka;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline's own Kafka clients with a wrong SCRAM password: refused, with the broker's reason. */
class KafkaCredentialsTest {

    @Test
    void aWrongPasswordIsRefusedWithTheBrokersReason() {
        Properties wrong = SecuredKafka.get().scram("not-the-password");
        KafkaClients clients = KafkaClients.from(wrong::getProperty);

        assertThatThrownBy(() -> new TopicProvisioner(clients, Duration.ofSeconds(10))
                .ensure(List.of(new NewTopic("never-created", 1, (short) 1))))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                .rootCause().hasMessageContaining("invalid credentials");
        assertThat(clients.toString()).doesNotContain("not-the-password");
    }
}
