/**
 * Starts embedded Hawtio with its command-line options (--war, --port, --host, --context-path, --open-url):
 * io.hawt.embedded.Main's own main ignores its arguments, Main.run(args) takes them. Run as a source file on the
 * classpath the hawtio Maven profile copies to target/hawtio/lib (HawtioIT).
 */
public class HawtioMain {

    public static void main(String[] args) {
        io.hawt.embedded.Main.run(args);
    }
}
