package io.tideline.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./tideline dlq list [--limit N]} and {@code ./tideline dlq redrive PARTITION:OFFSET...}: a thin client of
 * the running pipeline's {@code /v1/dlq} API (base URL from {@code TIDELINE_URL}, default http://localhost:8080).
 */
public final class DeadLetterCli {

    private DeadLetterCli() {
    }

    public static void main(String[] args) throws Exception {
        String base = System.getenv().getOrDefault("TIDELINE_URL", "http://localhost:8080");
        if (args.length == 0 || !(args[0].equals("list") || args[0].equals("redrive"))) {
            System.err.println("usage: ./tideline dlq list [--limit N] | ./tideline dlq redrive PARTITION:OFFSET [PARTITION:OFFSET...]");
            System.exit(2);
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request;
        if (args[0].equals("list")) {
            String limit = args.length > 2 && args[1].equals("--limit") ? args[2] : "50";
            request = HttpRequest.newBuilder(URI.create(base + "/v1/dlq?limit=" + Integer.parseInt(limit))).GET().build();
        } else {
            List<String> records = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String[] parts = args[i].split(":");
                if (parts.length != 2) {
                    System.err.println("not PARTITION:OFFSET: " + args[i]);
                    System.exit(2);
                }
                records.add("{\"partition\":" + Integer.parseInt(parts[0]) + ",\"offset\":" + Long.parseLong(parts[1]) + "}");
            }
            request = HttpRequest.newBuilder(URI.create(base + "/v1/dlq/redrive"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"records\":" + records + "}")).build();
        }
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(response.body());
        System.exit(response.statusCode() / 100 == 2 ? 0 : 1);
    }
}
