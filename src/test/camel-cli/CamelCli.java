/**
 * The Camel CLI ({@code camel run ...}) from the camel-jbang-core jar, without the JBang installer. Run as a
 * single-file program: {@code java -cp "$(cat target/camel-cli.classpath)" src/test/camel-cli/CamelCli.java run ...}
 */
public class CamelCli {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
