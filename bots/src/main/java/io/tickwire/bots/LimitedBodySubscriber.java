package io.tickwire.bots;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an HTTP response body, but no more than {@code limit + 1} bytes: past the limit it cancels the rest, and
 * the body it completes with is longer than the limit, which the reader refuses. So a server that answers without
 * end cannot fill the bots' memory. Called by the HTTP client's threads, one at a time (reactive streams rule).
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]>
{
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private final int limit;
    private Flow.Subscription subscription;

    /**
     * @param limit most bytes kept as the body; one more marks it as too long.
     */
    LimitedBodySubscriber(final int limit)
    {
        this.limit = limit;
    }

    /**
     * @return a body handler whose bodies are limited to {@code limit} bytes (longer: {@code limit + 1}).
     */
    static HttpResponse.BodyHandler<byte[]> handler(final int limit)
    {
        return responseInfo -> new LimitedBodySubscriber(limit);
    }

    public CompletionStage<byte[]> getBody()
    {
        return body;
    }

    public void onSubscribe(final Flow.Subscription subscription)
    {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    public void onNext(final List<ByteBuffer> buffers)
    {
        for (final ByteBuffer buffer : buffers)
        {
            final int take = Math.min(buffer.remaining(), limit + 1 - collected.size());
            final byte[] bytes = new byte[take];
            buffer.get(bytes);
            collected.write(bytes, 0, take);
            if (collected.size() > limit)
            {
                subscription.cancel();
                body.complete(collected.toByteArray());
                return;
            }
        }
    }

    public void onError(final Throwable error)
    {
        body.completeExceptionally(error);
    }

    public void onComplete()
    {
        body.complete(collected.toByteArray());
    }
}
