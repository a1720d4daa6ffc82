package io.orderpipeline.platform.telemetry;

import java.nio.charset.StandardCharsets;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped log layout (log4j2.properties): a message cannot add lines or carry terminal escapes. */
class LogLinesTest {

    private static String render(String message) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        var layout = context.getConfiguration().getAppender("console").getLayout();
        return new String(layout.toByteArray(Log4jLogEvent.newBuilder().setLoggerName("test").setLevel(Level.WARN)
                .setMessage(new SimpleMessage(message)).build()), StandardCharsets.UTF_8);
    }

    @Test
    void crAndLfAreEncodedAndOtherControlOrDirectionCharactersReplaced() {
        String line = render("key=abc\r\n12:00:00.000 INFO  forged line \u001b[31mred\u009b \u202egnp.exe \u0007 done");

        assertThat(line.lines()).as(line).hasSize(1);
        assertThat(line).contains("key=abc\\r\\n12:00:00.000 INFO  forged line ?[31mred? ?gnp.exe ? done")
                .doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u009b");
    }

    @Test
    void ordinaryTextIncludingTabsAndNonLatinLettersIsUnchanged() {
        assertThat(render("order\tstored: café 中文 😀")).contains("order\tstored: café 中文 😀");
    }
}
