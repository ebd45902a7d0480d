package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A matchmaker for tests: the JDK's HTTP server on {@code 127.0.0.1:0} answering {@code POST /matchmake} with what a
 * script returns for each request, and keeping every request it saw.
 */
final class ScriptedMatchmaker implements AutoCloseable
{
    /** What the matchmaker saw of one request. */
    record Seen(String method, String contentType, String authorization, JsonNode body)
    {
    }

    /** One answer: a status and a body. */
    record Reply(int status, String body)
    {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    /**
     * @param script the answer to each request's body, called on the server's thread.
     */
    ScriptedMatchmaker(final Function<JsonNode, Reply> script) throws IOException
    {
        this(script, 1);
    }

    /**
     * @param threads how many requests the server handles at once.
     */
    ScriptedMatchmaker(final Function<JsonNode, Reply> script, final int threads) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(MatchmakerClient.PATH, exchange -> answer(exchange, script));
        executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * @return a 200 placement on {@code url} in {@code room} with a reservation naming {@code tag}.
     */
    static Reply placed(final URI url, final String room, final String tag)
    {
        final String reservation = "eyJhbGciOiJIUzI1NiJ9." + tag + ".c2ln";
        return new Reply(200, MatchAnswersTest.placed(url.toString(), room, reservation, "10000"));
    }

    URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Seen> seen()
    {
        return List.copyOf(seen);
    }

    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(final HttpExchange exchange, final Function<JsonNode, Reply> script) throws IOException
    {
        try (exchange)
        {
            final JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
            final Reply reply = script.apply(body);
            if (reply == null)
            {
                sleepPastTheClientTimeout();
                return;
            }
            final byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }

    /**
     * A script's null: no answer at all, as a matchmaker that hangs, until the server closes.
     */
    private static void sleepPastTheClientTimeout()
    {
        try
        {
            TimeUnit.SECONDS.sleep(3);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
