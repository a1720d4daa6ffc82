package io.orderpipeline.security;

import java.util.Properties;

import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The developer console turned on: it shows state, but sends nothing, evaluates nothing and prints no secret. */
class DeveloperConsoleTest extends PipelineTestSupport {

    private static final String PASSWORD = "s3cret-Pool-Passw0rd";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.put("orders.management.dev-console", "true");
        // the pool's password as a bean property (the database itself still accepts the default one)
        properties.put("camel.beans.consolePool", "#class:com.zaxxer.hikari.HikariConfig");
        properties.put("camel.beans.consolePool.password", PASSWORD);
    }

    @Test
    void theConsoleListsStateConsolesAndNoneThatSendsEvaluatesOrPrintsSecrets() {
        Answer index = management().send("GET", "/q/dev", null, null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("context:").contains("route:").contains("health:");
        for (String unsafe : new String[] {"send", "receive", "eval-language", "simple-language", "bean",
                "default-registry", "system-properties", "jvm", "browse", "debug"}) {
            assertThat(index.body()).as(unsafe).doesNotContainPattern("(?m)^" + unsafe + ":");
        }

        Answer state = management().send("GET", "/q/dev/context", null, null);
        assertThat(state.body()).contains("order-pipeline");
        Answer eval = management().send("GET", "/q/dev/eval-language?language=simple&template=%24%7Benv%3APATH%7D", null, null);
        assertThat(eval.body()).contains("not found").doesNotContain("/usr/bin");
        Answer send = management().send("GET", "/q/dev/send?endpoint=log:attack&body=x", null, null);
        assertThat(send.body()).contains("not found");
        for (String console : new String[] {"all", "bean", "properties", "system-properties", "jvm"}) {
            Answer answer = management().send("GET", "/q/dev/" + console, null, null);
            assertThat(answer.body()).as(console).doesNotContain(PASSWORD);
        }
    }
}
