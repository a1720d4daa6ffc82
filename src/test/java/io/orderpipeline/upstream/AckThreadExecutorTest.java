package io.orderpipeline.upstream;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckThreadExecutorTest {

    @Test
    void continuesOnTheThreadThatHandsItTheWork() {
        AckThreadExecutor executor = new AckThreadExecutor();
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        executor.submit(() -> ranOn.set(Thread.currentThread()));

        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void stillAnswersAcknowledgedOrdersAfterShutdown() {
        AckThreadExecutor executor = new AckThreadExecutor();
        executor.shutdown();
        AtomicReference<Boolean> ran = new AtomicReference<>(false);

        executor.execute(() -> ran.set(true));

        assertThat(executor.isShutdown()).isTrue();
        assertThat(ran.get()).isTrue();
    }
}
