package io.orderpipeline.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics when they are missing (existing topics are left exactly as they are), or, where
 * something else creates them, waits for the broker to describe them.
 */
public final class TopicProvisioner {

    private final KafkaClients clients;
    private final Duration timeout;

    public TopicProvisioner(KafkaClients clients, Duration timeout) {
        this.clients = clients;
        this.timeout = timeout;
    }

    /** @return the names of the topics this call created */
    public Set<String> ensure(List<NewTopic> topics) throws Exception {
        int millis = (int) timeout.toMillis();
        try (Admin admin = clients.admin(timeout)) {
            Set<String> existing = admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            try {
                admin.createTopics(missing).all().get(millis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another instance creating it at the same moment is fine
                }
            }
            return missing.stream().map(NewTopic::name).collect(Collectors.toSet());
        } catch (java.util.concurrent.TimeoutException e) {
            throw noAnswer(e);
        }
    }

    /** Succeeds once the broker describes these topics (they exist and have their partitions). */
    public void require(List<String> names) throws Exception {
        try (Admin admin = clients.admin(timeout)) {
            admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw noAnswer(e);
        }
    }

    private IllegalStateException noAnswer(Exception e) {
        return new IllegalStateException("Kafka at " + clients.bootstrapServers() + " did not answer within "
                + timeout.toSeconds() + " s", e);
    }
}
