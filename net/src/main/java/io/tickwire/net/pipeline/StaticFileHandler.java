package io.tickwire.net.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.tickwire.net.NetCounters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last HTTP handler: serves the browser demo and the client SDK as static files from one classpath folder (the
 * {@code tickwire-web} jar's {@code tickwire/web/}), and answers 404 to every other path. Sharable; on the channel's
 * event loop.
 * <pre>
 *   GET or HEAD /                      the folder's index.html
 *   GET or HEAD /a/b.js                the folder's a/b.js, when the path is strict (below) and the file exists
 *   If-None-Match with the file's tag  304, no body
 *   other method                       405 with Allow: GET, HEAD, connection closed
 *   anything else                      404, connection closed
 * </pre>
 * A strict path is at most {@value #MAX_PATH_LENGTH} characters of segments of {@code [A-Za-z0-9._-]}, none empty,
 * none starting with a dot (so no {@code .}, {@code ..} or hidden files), the last one ending in an extension of the
 * allow-list ({@link #CONTENT_TYPES}). Nothing is decoded first: {@code %2e}, a backslash or {@code //} is simply not
 * a strict path. Each file is read from the class path once, at its first request, and its bytes kept; only files
 * that exist are kept, so the cache is bounded by the folder. A 200 or 304 carries a strong ETag (a hash of the
 * bytes), {@code Cache-Control: no-cache} (the browser revalidates, so a new jar is seen at once),
 * {@code X-Content-Type-Options: nosniff} and {@link #CONTENT_SECURITY_POLICY}.
 */
@ChannelHandler.Sharable
public final class StaticFileHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    /** The classpath folder of the demo and the SDK. */
    public static final String WEB_ROOT = "tickwire/web/";

    /** What a browser may load and connect to from the served pages: their own origin, and WebSockets. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'";

    /** The served extensions and their content types; nothing else is served. */
    public static final Map<String, String> CONTENT_TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "png", "image/png",
        "svg", "image/svg+xml",
        "ico", "image/x-icon",
        "json", "application/json",
        "txt", "text/plain; charset=utf-8");

    static final int MAX_PATH_LENGTH = 256;
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final String INDEX = "index.html";
    private static final String ALLOWED_METHODS = "GET, HEAD";

    private final NetCounters counters;
    private final ClassLoader classLoader;
    private final String root;
    private final Map<String, StaticFile> files = new ConcurrentHashMap<>();

    /**
     * @param classLoader where the files are found.
     * @param root        the classpath folder served at {@code /}, ending in {@code /}.
     */
    public StaticFileHandler(final NetCounters counters, final ClassLoader classLoader, final String root)
    {
        if (!root.endsWith("/"))
        {
            throw new IllegalArgumentException("a root folder ends in /: " + root);
        }
        this.counters = counters;
        this.classLoader = classLoader;
        this.root = root;
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final String path = HttpEndpointHandler.pathOf(request.uri());
        final StaticFile file = "/".equals(path) ? file(INDEX) : isStrict(path) ? file(path.substring(1)) : null;
        if (file == null)
        {
            counters.httpNotFound.incrementAndGet();
            HttpEndpointHandler.refuse(ctx, HttpEndpointHandler.respond(request, HttpResponseStatus.NOT_FOUND,
                "not found\n"));
            return;
        }
        final HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD))
        {
            counters.httpMethodNotAllowed.incrementAndGet();
            final FullHttpResponse response =
                HttpEndpointHandler.respond(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
            response.headers().set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
            HttpEndpointHandler.refuse(ctx, response);
            return;
        }
        counters.staticFileRequests.incrementAndGet();
        HttpEndpointHandler.reply(ctx, request, response(request, file));
    }

    /**
     * @return whether {@code path} is a strict path (see the class comment), checked character by character.
     */
    static boolean isStrict(final String path)
    {
        final int length = path.length();
        if (length < 2 || length > MAX_PATH_LENGTH || path.charAt(0) != '/')
        {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= length; i++)
        {
            final char c = i == length ? '/' : path.charAt(i);
            if (c == '/')
            {
                if (i == segmentStart || path.charAt(segmentStart) == '.')
                {
                    return false;
                }
                segmentStart = i + 1;
            }
            else if (!isSegmentChar(c))
            {
                return false;
            }
        }
        final int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && CONTENT_TYPES.containsKey(path.substring(dot + 1));
    }

    private static boolean isSegmentChar(final char c)
    {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' ||
            c == '-';
    }

    /**
     * @return the file at {@code relativePath} under the root, read once and then kept; null when there is none.
     */
    private StaticFile file(final String relativePath)
    {
        final StaticFile cached = files.get(relativePath);
        if (cached != null)
        {
            return cached;
        }
        final StaticFile loaded = load(relativePath);
        if (loaded == null)
        {
            return null;
        }
        final StaticFile raced = files.putIfAbsent(relativePath, loaded);
        return raced != null ? raced : loaded;
    }

    private StaticFile load(final String relativePath)
    {
        try (InputStream in = classLoader.getResourceAsStream(root + relativePath))
        {
            if (in == null)
            {
                return null;
            }
            final byte[] bytes = in.readAllBytes();
            final String extension = relativePath.substring(relativePath.lastIndexOf('.') + 1);
            return new StaticFile(bytes, CONTENT_TYPES.get(extension), entityTag(bytes));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + root + relativePath, ex);
        }
    }

    private static FullHttpResponse response(final FullHttpRequest request, final StaticFile file)
    {
        final boolean notModified = matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), file.entityTag());
        final boolean withBody = !notModified && request.method().equals(HttpMethod.GET);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
            withBody ? Unpooled.wrappedBuffer(file.bytes()) : Unpooled.EMPTY_BUFFER);
        response.headers()
            .set(HttpHeaderNames.ETAG, file.entityTag())
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
            .set(X_CONTENT_TYPE_OPTIONS, "nosniff")
            .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        if (!notModified)
        {
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, file.bytes().length);
        }
        return response;
    }

    /**
     * @return whether an If-None-Match header names {@code entityTag} (or is {@code *}); a weak tag of the same value
     * matches too, as RFC 9110's weak comparison for If-None-Match says.
     */
    private static boolean matches(final String ifNoneMatch, final String entityTag)
    {
        if (ifNoneMatch == null)
        {
            return false;
        }
        for (final String candidate : ifNoneMatch.split(","))
        {
            final String tag = candidate.trim();
            if ("*".equals(tag) || entityTag.equals(tag) || tag.startsWith("W/") && entityTag.equals(tag.substring(2)))
            {
                return true;
            }
        }
        return false;
    }

    private static String entityTag(final byte[] bytes)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + '"';
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }

    /**
     * One served file, immutable once read.
     *
     * @param bytes       its content; never written after loading.
     * @param contentType what the Content-Type header says.
     * @param entityTag   its strong ETag, quoted.
     */
    private record StaticFile(byte[] bytes, String contentType, String entityTag)
    {
    }
}
