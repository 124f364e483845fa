// Neo4j Community embedded with a Bolt connector: the engine the test suite and local development
// run against. Started as `java -cp "$(cat cp.txt)" Server.java --data DIR --port N [--page-cache 256m]`
// (single-file source launch, no compile step). Prints "READY bolt://127.0.0.1:N" on stdout once
// Bolt accepts connections. Stops cleanly on SIGTERM/SIGINT (shutdown hook) and when the process
// that started it dies (its parent is polled), so a killed test run leaves no server behind.

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Server {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path data = Path.of(opts.getOrDefault("data", "neo4j-data")).toAbsolutePath();
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
        String host = opts.getOrDefault("host", "127.0.0.1");

        Map<String, String> config = new HashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", host + ":" + port);
        config.put("server.bolt.advertised_address", host + ":" + port);
        config.put("server.bolt.tls_level", "DISABLED");
        // Loopback only, for tests and development: no authentication.
        config.put("dbms.security.auth_enabled", "false");
        // The default page cache takes half of the machine's RAM.
        config.put("server.memory.pagecache.size", opts.getOrDefault("page-cache", "256m"));
        // Preallocated transaction logs cost disk and start-up time for nothing here.
        config.put("db.tx_log.preallocate", "false");
        config.put("db.tx_log.rotation.retention_policy", "2 files");
        // A runaway query fails instead of taking the JVM's heap (the service adds per-query timeouts).
        config.put("dbms.memory.transaction.total.max", opts.getOrDefault("tx-memory", "512m"));
        config.put("server.directories.import", data.resolve("import").toString());
        config.put("dbms.usage_report.enabled", "false");

        // Settings by their neo4j.conf names, through a generated neo4j.conf: the names are the
        // documented, stable surface (the Java setting constants move between versions).
        Files.createDirectories(data);
        StringBuilder conf = new StringBuilder("# written by tools/neo4j/Server.java at every start\n");
        config.forEach((k, v) -> conf.append(k).append('=').append(v).append('\n'));
        Path confFile = data.resolve("neo4j.conf");
        Files.writeString(confFile, conf.toString());
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(data)
                .loadPropertiesFromFile(confFile)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "neo4j-shutdown"));

        // Bolt binds asynchronously after build(): wait until it accepts a connection.
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                break;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    System.err.println("Bolt did not open on " + host + ":" + port);
                    System.exit(1);
                }
                Thread.sleep(100);
            }
        }
        System.out.println("READY bolt://" + host + ":" + port);
        System.out.flush();

        // Die with the parent: once the process that started us is gone, shut down.
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (true) {
            Thread.sleep(1000);
            if (parent != null && !parent.isAlive()) {
                System.exit(0); // runs the shutdown hook
            }
        }
    }
}
