// A stand-in for the Embulk 0.11.5 release jar, for image builds on machines that cannot download
// the real one. The worker image's build verifies its checksum and runs it exactly like the real jar
// (`java -jar embulk-0.11.5.jar …`), so the download, checksum, plugin and JRE steps are exercised.
// It understands what the build and the smoke test call: --version, install <coordinate> and
// run <config>. Unlike the real jar, --version exits 0.
import java.nio.file.Files;
import java.nio.file.Path;

public final class EmbulkStandIn {
  public static void main(String[] args) throws Exception {
    String home = System.getenv().getOrDefault("EMBULK_HOME", System.getProperty("user.home") + "/.embulk");
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      switch (args[i]) {
        case "--version", "-version" -> {
          System.out.println("embulk 0.11.5 stand-in");
          return;
        }
        case "-X" -> {
          String property = i + 1 < args.length ? args[++i] : "";
          if (property.startsWith("embulk_home=")) home = property.substring("embulk_home=".length());
        }
        default -> { }
      }
      i++;
    }
    String command = i < args.length ? args[i] : "";
    switch (command) {
      case "install" -> {
        // Records the coordinate where Maven-style plugins land, as the real install would.
        String[] gav = args[i + 1].split(":");
        Path dir = Path.of(home, "lib", "m2", "repository", gav[0].replace('.', '/'), gav[1], gav[2]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(gav[1] + "-" + gav[2] + ".jar.stand-in"), args[i + 1] + "\n");
        System.out.println("embulk 0.11.5 stand-in: installed " + args[i + 1]);
      }
      case "run" -> {
        System.out.println("embulk 0.11.5 stand-in: run " + (i + 1 < args.length ? args[i + 1] : ""));
        System.out.println("Committed.");
      }
      default -> {
        System.err.println("embulk 0.11.5 stand-in: unknown command line");
        System.exit(255);
      }
    }
  }
}
